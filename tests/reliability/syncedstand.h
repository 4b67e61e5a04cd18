#pragma once

#include "connectors/demo/demostand.h"
#include "reliability/editlog.h"
#include "reliability/historychecker.h"
#include "support/emulatoradmin.h"
#include "support/layerreader.h"
#include "support/outsideeditor.h"
#include "support/tfsynccli.h"

#include <QTextStream>
#include <memory>

namespace tf::test {

// The four real layers (DemoStand: both stand-ins, a throwaway PostgreSQL, a SQLite file), seeded and synced by the
// real tfsync binary, with the tools the reliability suites work with: an outside editor, an outside reader, the CLI
// and the stand-ins' admin endpoints.
class SyncedStand {
public:
    explicit SyncedStand(QTextStream &log);
    ~SyncedStand();

    // Starts everything, provisions, seeds `contacts` into BigQuery, runs `tfsync initial` and cycles until one
    // writes nothing; every layer then holds every contact. Empty on success, else what failed.
    QString start(int contacts, ConflictPolicy policy = ConflictPolicy::Merge);

    SyncConfig config() const { return SyncConfig::load(m_demo.configPath()); }
    QString configPath() const { return m_demo.configPath(); }
    QString statePath() const { return config().sync.statePath; }
    QString postgresPassword() const { return m_demo.postgresPassword(); }
    void setPolicy(ConflictPolicy policy);
    const QStringList &contactIds() const { return m_ids; }

    OutsideEditor &editor() { return *m_editor; }
    const LayerReader &reader() const { return *m_reader; }
    TfSyncCli &cli() { return *m_cli; }
    EmulatorAdmin &twenty() { return m_twenty; }
    EmulatorAdmin &bigquery() { return m_bigquery; }
    ThrowawayPostgres &postgres() { return m_demo.postgres(); }

    // Slows the sync's writes down so cycles overlap outside edits and kills land mid-write: Twenty answers every
    // POST /rest/batch/people `twentyWriteMs` late (after committing it), a BigQuery DML statement runs
    // `bigqueryDmlMs` (it commits at its end, as a real job does). 0, 0 = full speed.
    void slowWrites(int twentyWriteMs, int bigqueryDmlMs);
    // No faults, no delays, empty request logs.
    void calm();

    // Records what BigQuery holds now in `fields` of every contact as the log's baseline. Empty on success.
    QString recordBaselines(EditLog &log, const QStringList &fields);
    // The verdict on a run: reads every layer from outside and `tfsync conflicts list --json`, runs the
    // HistoryChecker, and asks `tfsync verify --json` (every difference must be an open conflict). Returns the
    // summary table, then every problem with what each layer holds and the lost contacts' `tfsync history`.
    // `ok` tells whether everything held; `counts` receives the checker's counts. `twentyRequests` is the Twenty
    // stand-in's request log of the run (taken before calm() clears it), for HistoryChecker::setTwentyRequestLog.
    QString checkHistory(const EditLog &log, int kills, const QString &heading, bool *ok,
                         HistoryChecker::Counts *counts = nullptr, const QJsonArray &twentyRequests = {});

private:
    QTextStream &m_log;
    DemoStand m_demo;
    EmulatorAdmin m_twenty;
    EmulatorAdmin m_bigquery;
    std::unique_ptr<OutsideEditor> m_editor;
    std::unique_ptr<LayerReader> m_reader;
    std::unique_ptr<TfSyncCli> m_cli;
    QStringList m_ids;
};

// The connectors' debug and info lines of this process (provisioning, seeding) drown the reports; QT_LOGGING_RULES
// still wins when set. The tfsync children log as they always do.
void quietInProcessLogging();

} // namespace tf::test
