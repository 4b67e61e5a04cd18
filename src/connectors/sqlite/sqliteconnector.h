#pragma once

#include "connectors/sqlite/sqlitechangelog.h"
#include "connectors/sqlite/sqlitedatabase.h"
#include "connectors/sqlite/sqlitefilewatcher.h"
#include "core/connector.h"
#include "core/syncconfig.h"

namespace tf {

// The `local` layer: a SQLite file that other programs and people may edit, also while the app is closed.
// Triggers record every write in a change log (SqliteSchema); the watermark is a position in that log, so nothing
// done in between is missed, the sync's own writes are passed over, and a physical DELETE comes back as a
// tombstone with the old values.
//
// Watermarks: "full:<log position at the start>:<last contact id>" while the whole table is read for the first
// time (keyset paging by contact_id), then "log:<position>".
class SqliteConnector : public Connector
{
    Q_OBJECT
public:
    explicit SqliteConnector(const LocalSettings &settings, QObject *parent = nullptr);

    Layer layer() const override { return Layer::Local; }
    void provision() override;
    ChangePage readChanges(const QString &watermark, int limit) override;
    QList<Contact> readByIds(const QStringList &contactIds) override;
    WriteResult writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected) override;
    QList<HealthCheck> healthChecks() override;

private:
    ChangePage readWholeTable(qint64 logPosition, const QString &afterId, int limit);
    ChangePage readLog(qint64 position, int limit);
    void pruneChangeLog(qint64 appliedPosition);
    QHash<QString, Contact> loadRows(const QStringList &contactIds);
    QHash<QString, Contact> withTombstones(QHash<QString, Contact> rows, const QStringList &contactIds);
    static QString upsertStatement();
    static bool storedAsIs(const Contact &stored, const Contact &incoming);
    void checkForOutsideChanges();

    SqliteDatabase m_db;
    SqliteChangeLog m_log;
    SqliteFileWatcher m_watcher;
    qint64 m_knownExternal = 0; // the log position up to which outside changes were read or announced
    qint64 m_prunedBefore = 0;  // the log holds nothing the sync has applied before this position
};

} // namespace tf
