#include "connectors/sqlite/sqlitechangelog.h"

#include "connectors/sqlite/sqlitedatabase.h"
#include "connectors/sqlite/sqliterowcodec.h"
#include "core/contactnormalizer.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

SqliteChangeLog::SqliteChangeLog(SqliteDatabase &db)
    : m_db(db)
{
}

qint64 SqliteChangeLog::lastPosition()
{
    QSqlQuery query = m_db.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM contacts_changelog"));
    return query.next() ? query.value(0).toLongLong() : 0;
}

int SqliteChangeLog::pruneBefore(qint64 position)
{
    return m_db
        .exec(QStringLiteral("DELETE FROM contacts_changelog WHERE seq < ? AND NOT (op = 'D' AND contact_id IS NOT NULL "
                             "AND NOT EXISTS (SELECT 1 FROM contacts WHERE contacts.contact_id = contacts_changelog.contact_id))"),
              {position})
        .numRowsAffected();
}

qint64 SqliteChangeLog::lastExternalPosition()
{
    QSqlQuery query = m_db.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM contacts_changelog WHERE origin = 'external'"));
    return query.next() ? query.value(0).toLongLong() : 0;
}

// A deleted row's values as they were, deleted at the moment of the DELETE; updated_at becomes that moment too,
// since it is the layer's own modification time and last-writer-wins compares it (ThreeWayMerge).
Contact SqliteChangeLog::tombstone(const QString &contactId, const QString &oldRow, const QString &deletedAt)
{
    Contact contact = SqliteRowCodec::fromJsonRow(QJsonDocument::fromJson(oldRow.toUtf8()).object());
    contact.setId(contactId);
    const QDateTime when = ContactNormalizer::parseTimestamp(deletedAt);
    if (!contact.isDeleted())
        contact.setValue(field::DeletedAt, when);
    contact.setValue(field::UpdatedAt, when);
    return contact;
}

SqliteChangeLog::Changes SqliteChangeLog::externalChangesAfter(qint64 position, int limit)
{
    Changes changes;
    // The end is fixed first: the sync's own entries up to it are passed over even when no outside entry follows,
    // and a contact changed again after it comes again in a later read.
    const qint64 end = lastPosition();
    // Each contact's latest outside entry up to the end, in log order; the index on (contact_id, seq) answers
    // "is there a later one" without scanning the log.
    QSqlQuery query = m_db.exec(QStringLiteral("SELECT seq, contact_id FROM contacts_changelog AS entry "
                                               "WHERE seq > ? AND seq <= ? AND origin = 'external' AND contact_id IS NOT NULL "
                                               "AND NOT EXISTS (SELECT 1 FROM contacts_changelog AS later WHERE later.contact_id = entry.contact_id "
                                               "AND later.seq > entry.seq AND later.seq <= ? AND later.origin = 'external') "
                                               "ORDER BY seq LIMIT ?"),
                                {position, end, end, limit + 1});
    while (query.next()) {
        if (changes.contactIds.size() == limit) {
            changes.hasMore = true;
            break;
        }
        changes.contactIds.append(query.value(1).toString());
        changes.consumed = query.value(0).toLongLong();
    }
    if (!changes.hasMore)
        changes.consumed = end;
    return changes;
}

QHash<QString, Contact> SqliteChangeLog::tombstones(const QStringList &contactIds)
{
    QHash<QString, Contact> found;
    m_db.selectIn(QStringLiteral("SELECT contact_id, changed_at, old_row FROM contacts_changelog "
                                 "WHERE op = 'D' AND contact_id IN (%1) ORDER BY seq"),
                  contactIds, [&found](const QSqlQuery &query) {
                      const QString id = query.value(0).toString();
                      found.insert(id, tombstone(id, query.value(2).toString(), query.value(1).toString()));
                  });
    return found;
}

} // namespace tf
