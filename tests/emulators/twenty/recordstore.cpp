#include "twenty/recordstore.h"

#include "twenty/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf::emu {

RecordStore::RecordStore(QList<UniqueKey> keys)
{
    setUniqueKeys(keys);
}

QJsonValue RecordStore::valueAt(const QJsonObject &record, const QString &path)
{
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    if (dot < 0)
        return record.value(path);
    return record.value(path.left(dot)).toObject().value(path.mid(dot + 1));
}

QString RecordStore::indexKey(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined() || value == QLatin1String(""))
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

void RecordStore::setUniqueKeys(const QList<UniqueKey> &keys)
{
    QHash<QString, QHash<QString, QString>> indexes;
    for (const UniqueKey &key : keys) {
        QHash<QString, QString> &index = indexes[key.path];
        for (auto it = m_records.cbegin(); it != m_records.cend(); ++it) {
            const QString value = indexKey(valueAt(it.value(), key.path));
            if (value.isEmpty())
                continue;
            if (index.contains(value))
                throw ApiError::badRequest(QStringLiteral("could not create unique index \"%1\"").arg(key.constraint));
            index.insert(value, it.key());
        }
    }
    m_keys = keys;
    m_indexes = indexes;
}

const QJsonObject *RecordStore::find(const QString &id) const
{
    const auto it = m_records.constFind(id);
    return it == m_records.constEnd() ? nullptr : &it.value();
}

void RecordStore::put(const QJsonObject &record)
{
    const QString id = record.value(QStringLiteral("id")).toString();
    for (const UniqueKey &key : m_keys) {
        const QString holder = m_indexes.value(key.path).value(indexKey(valueAt(record, key.path)));
        if (!holder.isEmpty() && holder != id)
            throw ApiError::badRequest(QStringLiteral("duplicate key value violates unique constraint \"%1\"").arg(key.constraint));
    }
    if (const QJsonObject *previous = find(id))
        unindex(*previous);
    m_records.insert(id, record);
    index(record);
}

std::optional<QJsonObject> RecordStore::remove(const QString &id)
{
    const auto it = m_records.find(id);
    if (it == m_records.end())
        return std::nullopt;
    const QJsonObject removed = it.value();
    unindex(removed);
    m_records.erase(it);
    return removed;
}

void RecordStore::clear()
{
    m_records.clear();
    for (QHash<QString, QString> &index : m_indexes)
        index.clear();
}

QString RecordStore::idWithUniqueValue(const QString &path, const QJsonValue &value) const
{
    return m_indexes.value(path).value(indexKey(value));
}

void RecordStore::index(const QJsonObject &record)
{
    const QString id = record.value(QStringLiteral("id")).toString();
    for (const UniqueKey &key : m_keys) {
        const QString value = indexKey(valueAt(record, key.path));
        if (!value.isEmpty())
            m_indexes[key.path].insert(value, id);
    }
}

void RecordStore::unindex(const QJsonObject &record)
{
    for (const UniqueKey &key : m_keys) {
        const QString value = indexKey(valueAt(record, key.path));
        if (!value.isEmpty())
            m_indexes[key.path].remove(value);
    }
}

void RecordStore::renameField(const QString &from, const QString &to)
{
    for (QJsonObject &record : m_records) {
        if (record.contains(from))
            record.insert(to, record.take(from));
    }
}

void RecordStore::dropField(const QString &name)
{
    for (QJsonObject &record : m_records)
        record.remove(name);
}

QJsonArray RecordStore::toJson() const
{
    QJsonArray rows;
    for (const QJsonObject &record : m_records)
        rows.append(record);
    return rows;
}

void RecordStore::load(const QJsonArray &rows)
{
    clear();
    for (const QJsonValue &row : rows)
        put(row.toObject());
}

} // namespace tf::emu
