#pragma once

#include "connectors/supabase/advisorycyclelock.h"
#include "connectors/supabase/bulkcontactwriter.h"
#include "connectors/supabase/changelogreader.h"
#include "connectors/supabase/pgconnectioninfo.h"
#include "connectors/supabase/pgcontacttable.h"
#include "connectors/supabase/pgerrortranslator.h"
#include "connectors/supabase/pgsession.h"
#include "connectors/supabase/supabaseschema.h"
#include "core/connector.h"
#include "core/syncconfig.h"

namespace tf {

class PgNotificationListener;

// The `supabase` layer: the contacts table `schema.table` in PostgreSQL (Supabase or any other).
//
// Driver: libpqxx for everything, QPSQL for nothing. The hot path must survive Supabase's transaction-mode pooler
// (port 6543), where only unnamed statements and COPY inside one transaction are safe (§1.3). QPSQL's prepare()
// sends SQL-level PREPARE/EXECUTE/DEALLOCATE (the failing pattern there, and 5x slower than COPY, §2.1 a7), its
// open() runs session SETs, and without prepare() values would have to be spliced into SQL text. libpqxx gives
// exec_params (PQexecParams: unnamed, values bound) and COPY (stream_to) on one connection with one error model, and
// LISTEN and the advisory lock need it anyway.
//
// Connections: one working connection (PgSession), one while a cycle lock is held, one LISTEN connection once
// changes have been read (not on 6543). Changes come from a trigger-fed change log (§1.4), see ChangeLogReader;
// the sync's own writes are marked with set_config('truthforge.origin', 'sync', true) and never reported back.
class SupabaseConnector : public Connector
{
    Q_OBJECT
public:
    // `password` is used when the DSN carries none; empty = TF_SUPABASE_PASSWORD from the environment.
    // Throws ConnectorError (Configuration) for a malformed DSN or unusable schema/table names. No I/O.
    explicit SupabaseConnector(const SupabaseSettings &settings, const QString &password = QString(),
                               QObject *parent = nullptr);
    ~SupabaseConnector() override;

    Layer layer() const override { return Layer::Supabase; }
    void provision() override;
    ChangePage readChanges(const QString &watermark, int limit) override;
    QList<Contact> readByIds(const QStringList &contactIds) override;
    WriteResult writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected) override;
    QList<HealthCheck> healthChecks() override;
    bool tryAcquireCycleLock() override;
    void releaseCycleLock() override;

private:
    void writeChunk(const QList<Contact> &chunk, const ExpectedVersions &expected, WriteResult &result);
    void pruneChangeLog(const QString &appliedWatermark);
    void startListening();

    PgConnectionInfo m_info;
    SupabaseSchema m_schema;
    PgErrorTranslator m_errors;
    PgSession m_session;
    PgContactTable m_table;
    ChangeLogReader m_reader;
    BulkContactWriter m_writer;
    AdvisoryCycleLock m_lock;
    PgNotificationListener *m_listener = nullptr;
};

} // namespace tf
