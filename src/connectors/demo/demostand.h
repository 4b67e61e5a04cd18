#pragma once

#include "connectors/demo/standinprocess.h"
#include "connectors/demo/throwawaypostgres.h"
#include "connectors/syncsession.h"

#include <QTemporaryDir>
#include <QTextStream>

namespace tf {

// The demo's world: both stand-ins, a throwaway PostgreSQL and a local SQLite file in one temporary directory,
// with a config file that points the sync at them. `tfsync demo` and `truthforge-sync --demo` both stand on it.
class DemoStand
{
public:
    explicit DemoStand(QTextStream &log);
    ~DemoStand();

    QString start();                 // empty on success
    QString configPath() const;
    QString directory() const { return m_dir.path(); }
    QString postgresPassword() const { return m_postgres.password(); }
    static QByteArray twentyApiKey();
    QUrl bigqueryUrl() const { return m_bigquery.baseUrl(); }
    QUrl twentyUrl() const { return m_twenty.baseUrl(); }
    ThrowawayPostgres &postgres() { return m_postgres; }

    // Seeds `count` varied contacts into the canonical layer through its connector.
    QString seed(SyncSession &session, int count);
    // Edits a few contacts in every layer the way people would: in the CRM and BigQuery through their APIs, in
    // Postgres and SQLite with plain SQL from outside the app (so change capture sees them). Also one field changed
    // in two layers (a conflict) and one delete. Returns what it did, one line per edit.
    QStringList editEveryLayer(SyncSession &session, QString *error);

private:
    QString writeConfig();

    QTextStream &m_log;
    QTemporaryDir m_dir;
    StandInProcess m_bigquery;
    StandInProcess m_twenty;
    ThrowawayPostgres m_postgres;
};

} // namespace tf
