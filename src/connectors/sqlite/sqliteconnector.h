#pragma once

#include "core/connector.h"
#include "core/syncconfig.h"

#include <QFileSystemWatcher>
#include <QSqlDatabase>
#include <QTimer>

namespace tf {

// The `local` layer: a SQLite file (WAL, synchronous=NORMAL) that other programs and people may edit while the
// app is closed. Triggers record every change in a change log; the watermark is a position in that log, so
// nothing done in between is missed, and a physical DELETE comes back as a tombstone with the old values.
//
// Watermarks: "full:<log position at start>:<last contact id>" during the first read of the whole table (keyset
// paging by contact_id), then "log:<position>".
class SqliteConnector : public Connector
{
    Q_OBJECT
public:
    explicit SqliteConnector(const LocalSettings &settings, QObject *parent = nullptr);
    ~SqliteConnector() override;

    Layer layer() const override { return Layer::Local; }
    void provision() override;
    ChangePage readChanges(const QString &watermark, int limit) override;
    QList<Contact> readByIds(const QStringList &contactIds) override;
    WriteResult writeBatch(const QList<Contact> &contacts) override;
    QList<HealthCheck> healthChecks() override;

private:
    QSqlDatabase database();
    QSqlQuery exec(const QString &sql, const QVariantList &bindings = {});
    ConnectorError error(ConnectorError::Kind kind, const QString &what) const;
    QHash<QString, Contact> loadRows(const QStringList &contactIds);
    QHash<QString, Contact> tombstonesOfDeletedRows(const QStringList &contactIds);
    ChangePage readFullTable(qint64 logPosition, const QString &afterId, int limit);
    ChangePage readLog(qint64 position, int limit);
    qint64 lastLogPosition();
    void watchFile();
    void checkForOutsideChanges();

    LocalSettings m_settings;
    QString m_connectionName;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    qint64 m_notifiedPosition = -1;
};

} // namespace tf
