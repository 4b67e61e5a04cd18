#pragma once

#include "twenty/objectschema.h"

#include <QHash>
#include <QJsonObject>
#include <optional>

namespace tf::emu {

// The rows of one object, by id, with its unique indexes (§4.1, §9 #9). An index covers every row, soft-deleted
// ones included, and ignores null and "" (nothing to collide). The store is a value: copying it is cheap
// (implicit sharing) and is how a request's writes are rolled back.
class RecordStore
{
public:
    explicit RecordStore(QList<UniqueKey> keys = {});

    // Replaces the indexes; throws ApiError 400 "could not create unique index" if rows already collide.
    void setUniqueKeys(const QList<UniqueKey> &keys);

    const QJsonObject *find(const QString &id) const;
    QList<QJsonObject> records() const { return m_records.values(); }
    qsizetype size() const { return m_records.size(); }

    // Inserts or replaces the row with the record's id; throws ApiError 400 (Postgres' duplicate key message)
    // when another row holds one of its unique values.
    void put(const QJsonObject &record);
    std::optional<QJsonObject> remove(const QString &id);
    void clear();

    // The row holding `value` under unique key `path`, if any.
    QString idWithUniqueValue(const QString &path, const QJsonValue &value) const;
    void renameField(const QString &from, const QString &to);
    void dropField(const QString &name);

    QJsonArray toJson() const;
    void load(const QJsonArray &rows);

    static QJsonValue valueAt(const QJsonObject &record, const QString &path); // "emails.primaryEmail"

private:
    static QString indexKey(const QJsonValue &value); // empty: not indexed
    void index(const QJsonObject &record);
    void unindex(const QJsonObject &record);

    QHash<QString, QJsonObject> m_records;
    QList<UniqueKey> m_keys;
    QHash<QString, QHash<QString, QString>> m_indexes; // path → value → id
};

} // namespace tf::emu
