#pragma once

#include "core/contact.h"

#include <QHash>
#include <QStringList>

namespace tf {

class SqliteDatabase;

// Reads the change log the triggers fill (SqliteSchema). A position is a log sequence number; AUTOINCREMENT
// never hands one out twice, so "after position P" is exact across restarts of the app.
class SqliteChangeLog
{
public:
    struct Changes {
        QStringList contactIds; // distinct, in the order of their latest change up to the end of the read
        qint64 consumed = 0;    // the position this read covers up to, entries of the sync's own included
        bool hasMore = false;
    };

    explicit SqliteChangeLog(SqliteDatabase &db);

    qint64 lastPosition();
    qint64 lastExternalPosition();
    // Contacts written by anyone but the sync after `position`, at most `limit` of them. Each is placed at its
    // latest change, so a contact edited several times while the app was closed comes once, not once per edit.
    Changes externalChangesAfter(qint64 position, int limit);
    // Tombstones of rows physically deleted, the latest delete of each id.
    QHash<QString, Contact> tombstones(const QStringList &contactIds);
    // Forgets what the sync has applied: entries before `position` (a watermark the engine stored), except the
    // deletes of rows still missing from the table, which are those contacts' only tombstones. Returns how many
    // went. The entry at `position` stays, so the log never ends before a watermark (that means a replaced file).
    int pruneBefore(qint64 position);

private:
    static Contact tombstone(const QString &contactId, const QString &oldRow, const QString &deletedAt);

    SqliteDatabase &m_db;
};

} // namespace tf
