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

private:
    static Contact tombstone(const QString &contactId, const QString &oldRow, const QString &deletedAt);

    SqliteDatabase &m_db;
};

} // namespace tf
