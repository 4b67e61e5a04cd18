#include "reliability/historychecker.h"

#include <QJsonObject>

namespace tf::test {

HistoryChecker::HistoryChecker(const EditLog &log, ConflictPolicy policy)
    : m_log(log)
    , m_policy(policy)
{
}

bool HistoryChecker::passed() const
{
    return m_counts.lost == 0 && m_counts.againstPolicy == 0 && m_counts.conflictsLost == 0
        && m_counts.untouchedChanged == 0 && m_counts.duplicates == 0 && m_counts.missingRows == 0;
}

QString HistoryChecker::origin(const QString &value, const QString &contactId, const QString &field) const
{
    if (value == LayerSnapshot::kNoRow)
        return {};
    if (const Edit *edit = m_log.editSetting(value))
        return QStringLiteral(" [%1]").arg(edit->describe());
    if (m_log.hasBaseline(contactId, field) && m_log.baseline(contactId, field) == value)
        return QStringLiteral(" [the value before any edit]");
    return QStringLiteral(" [set by no recorded edit]");
}

QString HistoryChecker::holdings(const QString &contactId, const QString &field) const
{
    QStringList lines;
    for (auto it = m_layers.cbegin(); it != m_layers.cend(); ++it) {
        const QString value = it.value().value(contactId, field);
        lines << QStringLiteral("    %1 = '%2'%3").arg(layerName(it.key()), value, origin(value, contactId, field));
    }
    return lines.join(QLatin1Char('\n'));
}

bool HistoryChecker::everyLayerHolds(const QString &contactId, const QString &field, const QString &value) const
{
    for (const LayerSnapshot &snapshot : m_layers) {
        if (snapshot.value(contactId, field) != value)
            return false;
    }
    return true;
}

std::optional<QString> HistoryChecker::commonValue(const QString &contactId, const QString &field) const
{
    std::optional<QString> common;
    for (const LayerSnapshot &snapshot : m_layers) {
        const QString value = snapshot.value(contactId, field);
        if (common && *common != value)
            return std::nullopt;
        common = value;
    }
    return common;
}

void HistoryChecker::setTwentyRequestLog(const QJsonArray &requests)
{
    m_twentyWindows.clear();
    qint64 lookup = -1;
    for (const QJsonValue &value : requests) {
        const QJsonObject request = value.toObject();
        if (!request.value(QStringLiteral("userAgent")).toString().startsWith(QLatin1String("truthforge-sync")))
            continue;
        const QString method = request.value(QStringLiteral("method")).toString();
        const QString path = request.value(QStringLiteral("path")).toString();
        const qint64 at = qint64(request.value(QStringLiteral("receivedMs")).toDouble());
        if (method == QLatin1String("GET") && path.endsWith(QLatin1String("/rest/people")))
            lookup = at;
        else if (lookup >= 0 && path.contains(QLatin1String("/people")) && method != QLatin1String("GET"))
            m_twentyWindows.append(Window{lookup, at});
    }
}

const HistoryChecker::Window *HistoryChecker::twentyWindowAround(const Edit &edit) const
{
    if (edit.layer != Layer::Crm)
        return nullptr;
    const qint64 at = edit.at.toMSecsSinceEpoch();
    for (const Window &window : m_twentyWindows) {
        if (window.lookupMs <= at && at <= window.writeMs)
            return &window;
    }
    return nullptr;
}

void HistoryChecker::checkPlain(const QList<Edit> &edits, bool held)
{
    const Edit &last = edits.last();
    m_counts.superseded += int(edits.size()) - 1;
    if (everyLayerHolds(last.contactId, last.field, last.value)) {
        ++m_counts.survived;
        return;
    }
    if (held) {
        ++m_counts.held;
        return;
    }
    const QList<Edit> before = m_log.editsOf(last.contactId, last.field).mid(0, int(edits.size()) - 1);
    const QString previous = before.isEmpty() ? m_log.baseline(last.contactId, last.field) : before.last().value;
    if (const Window *window = twentyWindowAround(last);
        window && everyLayerHolds(last.contactId, last.field, previous)) {
        ++m_counts.lostInTwentyWindow;
        m_windowLengthsMs << window->writeMs - window->lookupMs;
        m_notes << QStringLiteral("TWENTY WINDOW: %1 set %2 of contact %3 to '%4', %5 ms after the sync's lookup and "
                                  "%6 ms before its write: overwritten unseen\n")
                       .arg(last.describe(), last.field, last.contactId, last.value)
                       .arg(last.at.toMSecsSinceEpoch() - window->lookupMs)
                       .arg(window->writeMs - last.at.toMSecsSinceEpoch());
        return;
    }
    ++m_counts.lost;
    m_counts.lostDuringCycle += last.duringCycle;
    m_lostContacts.append(last.contactId);
    m_failures << QStringLiteral("LOST: %1 set %2 of contact %3 to '%4'; no open conflict holds it, and now:\n%5")
                      .arg(last.describe(), last.field, last.contactId, last.value,
                           holdings(last.contactId, last.field));
}

void HistoryChecker::checkGroup(const QList<Edit> &edits, bool held)
{
    ++m_counts.conflictGroups;
    const Edit &first = edits.first();
    QStringList made;
    for (const Edit &edit : edits)
        made << QStringLiteral("  %1: '%2'").arg(edit.describe(), edit.value);
    std::optional<QString> expected;
    QString rule;
    switch (m_policy) {
    case ConflictPolicy::Merge:
        rule = QStringLiteral("merge: bigquery's value wins");
        for (const Edit &edit : edits) {
            if (edit.layer == kCanonicalLayer)
                expected = edit.value;
        }
        break;
    case ConflictPolicy::LastWriterWins:
        rule = QStringLiteral("last-writer-wins: the later edit wins");
        expected = edits.last().value;
        break;
    case ConflictPolicy::Manual:
        rule = QStringLiteral("manual: held for a person");
        break;
    }
    if (expected && everyLayerHolds(first.contactId, first.field, *expected)) {
        ++m_counts.decidedPerPolicy;
        return;
    }
    if (held) {
        ++m_counts.conflictsHeld;
        return;
    }
    const std::optional<QString> common = commonValue(first.contactId, first.field);
    const bool decided
        = common && m_log.editSetting(*common) && m_log.editSetting(*common)->conflictGroup == first.conflictGroup;
    if (decided)
        ++m_counts.againstPolicy;
    else
        ++m_counts.conflictsLost;
    m_lostContacts.append(first.contactId);
    m_failures << QStringLiteral("%1: conflict #%2 on %3 of contact %4 (%5); edits:\n%6\n  now:\n%7")
                      .arg(decided ? QStringLiteral("AGAINST POLICY") : QStringLiteral("CONFLICT LOST"))
                      .arg(first.conflictGroup)
                      .arg(first.field, first.contactId, rule, made.join(QLatin1Char('\n')),
                           holdings(first.contactId, first.field));
}

void HistoryChecker::checkUntouched(const QString &contactId, const QString &field)
{
    const QString baseline = m_log.baseline(contactId, field);
    if (everyLayerHolds(contactId, field, baseline))
        return;
    ++m_counts.untouchedChanged;
    m_lostContacts.append(contactId);
    m_failures << QStringLiteral("CHANGED WITHOUT AN EDIT: %1 of contact %2 was '%3' and nobody edited it; now:\n%4")
                      .arg(field, contactId, baseline, holdings(contactId, field));
}

void HistoryChecker::checkRows(const QStringList &contactIds)
{
    const QSet<QString> known(contactIds.cbegin(), contactIds.cend());
    for (const LayerSnapshot &snapshot : std::as_const(m_layers)) {
        const QStringList repeated = snapshot.repeatedIds();
        const QStringList unknown = snapshot.unknownIds(known);
        for (const QString &id : repeated)
            m_counts.duplicates += snapshot.occurrences(id) - 1;
        m_counts.duplicates += int(unknown.size());
        if (!repeated.isEmpty() || !unknown.isEmpty())
            m_failures << QStringLiteral("DUPLICATES in %1: held more than once: [%2]; rows of no known contact: [%3]; "
                                         "%4 live rows for %5 contacts")
                              .arg(layerName(snapshot.layer), repeated.join(QStringLiteral(", ")),
                                   unknown.join(QStringLiteral(", ")))
                              .arg(snapshot.liveRows())
                              .arg(contactIds.size());
        QStringList missing;
        for (const QString &id : contactIds) {
            const LayerRow *row = snapshot.row(id);
            if (!row || row->deleted)
                missing << id + (row ? QStringLiteral(" (tombstoned)") : QStringLiteral(" (no row)"));
        }
        m_counts.missingRows += int(missing.size());
        if (!missing.isEmpty())
            m_failures << QStringLiteral("MISSING in %1: %2")
                              .arg(layerName(snapshot.layer), missing.join(QStringLiteral(", ")));
    }
}

void HistoryChecker::check(const QMap<Layer, LayerSnapshot> &layers, const QJsonArray &openConflicts,
                           const QStringList &contactIds)
{
    m_layers = layers;
    m_counts = Counts{};
    m_failures.clear();
    m_notes.clear();
    m_windowLengthsMs.clear();
    m_lostContacts.clear();
    m_open.clear();
    m_heldContacts.clear();
    for (const QJsonValue &value : openConflicts) {
        const QJsonObject conflict = value.toObject();
        m_open.insert(EditLog::key(conflict.value(QStringLiteral("contact_id")).toString(),
                                   conflict.value(QStringLiteral("field")).toString()));
        m_heldContacts.insert(conflict.value(QStringLiteral("contact_id")).toString());
    }
    for (const LayerSnapshot &snapshot : layers) {
        if (!snapshot.error.isEmpty())
            m_failures
                << QStringLiteral("HARNESS: reading %1 failed: %2").arg(layerName(snapshot.layer), snapshot.error);
    }
    m_counts.edits = int(m_log.edits().size());
    for (const Edit &edit : m_log.edits())
        m_counts.duringCycle += edit.duringCycle;
    for (const QString &key : m_log.editedKeys()) {
        const QString contactId = key.section(QLatin1Char('|'), 0, 0);
        const QString field = key.section(QLatin1Char('|'), 1);
        const QList<Edit> edits = m_log.editsOf(contactId, field);
        // A contact with an open conflict waits whole for a person: its other pending edits are held with it.
        const bool held = m_open.contains(key) || m_heldContacts.contains(contactId);
        if (edits.first().conflictGroup > 0)
            checkGroup(edits, held);
        else
            checkPlain(edits, held);
    }
    for (const QString &key : m_log.baselineKeys()) {
        const QString contactId = key.section(QLatin1Char('|'), 0, 0);
        const QString field = key.section(QLatin1Char('|'), 1);
        if (m_log.editsOf(contactId, field).isEmpty())
            checkUntouched(contactId, field);
    }
    checkRows(contactIds);
    m_lostContacts.removeDuplicates();
}

QString HistoryChecker::summary(int kills, const QString &heading) const
{
    const Counts &c = m_counts;
    const auto line = [](const QString &label, int value, const char *note = "") {
        return QStringLiteral("  %1 %2  %3\n").arg(label, -34).arg(value, 6).arg(QString::fromLatin1(note));
    };
    const int plainEdits = c.edits - [&] {
        int inGroups = 0;
        for (const Edit &edit : m_log.edits())
            inGroups += edit.conflictGroup > 0;
        return inGroups;
    }();
    QString table = heading + QLatin1Char('\n');
    table += line(QStringLiteral("kills (SIGKILL mid-cycle)"), kills);
    table += line(QStringLiteral("edits"), c.edits);
    table += line(QStringLiteral("  owned edits"), plainEdits);
    table += line(QStringLiteral("    survived in every layer"), c.survived);
    table += line(QStringLiteral("    superseded by a later edit"), c.superseded);
    table += line(QStringLiteral("    held as an open conflict"), c.held);
    table += line(QStringLiteral("    lost"), c.lost, "must be 0");
    table += line(QStringLiteral("    overwritten in Twenty's window"), c.lostInTwentyWindow);
    if (!m_windowLengthsMs.isEmpty()) {
        QList<qint64> lengths = m_windowLengthsMs;
        std::sort(lengths.begin(), lengths.end());
        table += QStringLiteral("      (lookup to write: median %1 ms, max %2 ms, of %3 sync writes to Twenty)\n")
                     .arg(lengths.at(lengths.size() / 2))
                     .arg(lengths.last())
                     .arg(m_twentyWindows.size());
    }
    table += line(QStringLiteral("  made while a cycle ran"), c.duringCycle);
    table += line(QStringLiteral("    of them lost"), c.lostDuringCycle);
    table += line(QStringLiteral("  same-field conflicts"), c.conflictGroups);
    table += line(QStringLiteral("    decided per policy"), c.decidedPerPolicy);
    table += line(QStringLiteral("    held as an open conflict"), c.conflictsHeld);
    table += line(QStringLiteral("    decided against policy"), c.againstPolicy, "must be 0");
    table += line(QStringLiteral("    lost (layers disagree)"), c.conflictsLost, "must be 0");
    table += line(QStringLiteral("untouched fields changed"), c.untouchedChanged, "must be 0");
    table += line(QStringLiteral("duplicates"), c.duplicates, "must be 0");
    table += line(QStringLiteral("contacts missing or tombstoned"), c.missingRows, "must be 0");
    return table;
}

} // namespace tf::test
