#include "reliability/editlog.h"

#include "support/outsideeditor.h"

#include <QThread>

namespace tf::test {

QString Edit::describe() const
{
    return QStringLiteral("edit #%1 (+%2 s, %3) in %4%5%6")
        .arg(serial)
        .arg(double(atMs) / 1000.0, 0, 'f', 3)
        .arg(at.toString(QStringLiteral("HH:mm:ss.zzz'Z'")), layerName(layer))
        .arg(duringCycle ? QStringLiteral(" during a cycle") : QString())
        .arg(conflictGroup > 0 ? QStringLiteral(" (conflict #%1)").arg(conflictGroup) : QString());
}

EditLog::EditLog(QString tag)
    : m_tag(std::move(tag))
{
    m_clock.start();
}

QString EditLog::key(const QString &contactId, const QString &field)
{
    return contactId + QLatin1Char('|') + field;
}

void EditLog::recordBaseline(const QString &contactId, const QString &field, const QString &value)
{
    const QString k = key(contactId, field);
    if (!m_baseline.contains(k))
        m_baselineOrder.append(k);
    m_baseline.insert(k, value);
}

bool EditLog::hasBaseline(const QString &contactId, const QString &field) const
{
    return m_baseline.contains(key(contactId, field));
}

QString EditLog::baseline(const QString &contactId, const QString &field) const
{
    return m_baseline.value(key(contactId, field));
}

QStringList EditLog::baselineKeys() const
{
    return m_baselineOrder;
}

QString EditLog::nextValue(Layer layer) const
{
    return QStringLiteral("%1%2-%3").arg(m_tag).arg(m_edits.size() + 1).arg(layerName(layer));
}

const Edit &EditLog::record(Layer layer, const QString &contactId, const QString &field, const QString &value,
                            bool duringCycle, int conflictGroup)
{
    Edit edit;
    edit.serial = int(m_edits.size()) + 1;
    edit.atMs = m_clock.elapsed();
    edit.at = QDateTime::currentDateTimeUtc();
    edit.layer = layer;
    edit.contactId = contactId;
    edit.field = field;
    edit.value = value;
    edit.duringCycle = duringCycle;
    edit.conflictGroup = conflictGroup;
    const QString k = key(contactId, field);
    if (!m_byKey.contains(k))
        m_keyOrder.append(k);
    m_byKey[k].append(int(m_edits.size()));
    m_byValue.insert(value, int(m_edits.size()));
    m_edits.append(edit);
    return m_edits.last();
}

const Edit *EditLog::edit(OutsideEditor &editor, Layer layer, const QString &contactId, const QString &field,
                          bool duringCycle, int conflictGroup, QString *error, int attempts)
{
    const QString value = nextValue(layer);
    QString failure;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        failure = editor.setText(layer, contactId, field, value);
        if (failure.isEmpty())
            return &record(layer, contactId, field, value, duringCycle, conflictGroup);
        QThread::msleep(100 * (attempt + 1));
    }
    if (error)
        *error = failure;
    return nullptr;
}

QList<Edit> EditLog::editsOf(const QString &contactId, const QString &field) const
{
    QList<Edit> found;
    for (int index : m_byKey.value(key(contactId, field)))
        found.append(m_edits.at(index));
    return found;
}

QStringList EditLog::editedKeys() const
{
    return m_keyOrder;
}

const Edit *EditLog::editSetting(const QString &value) const
{
    const auto it = m_byValue.constFind(value);
    return it == m_byValue.cend() ? nullptr : &m_edits.at(it.value());
}

} // namespace tf::test
