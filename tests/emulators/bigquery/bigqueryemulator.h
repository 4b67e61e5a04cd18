#pragma once

#include "bigquery/bigqueryemulatorsettings.h"
#include "bigquery/catalog.h"
#include "bigquery/dmlscheduler.h"
#include "bigquery/jobsapi.h"
#include "bigquery/jobstore.h"
#include "bigquery/queryengine.h"
#include "bigquery/resourceapi.h"
#include "bigquery/sqlitedatabase.h"
#include "bigquery/streamingbuffer.h"
#include "bigquery/tabledataapi.h"
#include "bigquery/tokenservice.h"

#include <QObject>
#include <QTimer>

namespace tf::emu {

// The BigQuery stand-in behind the HTTP front: every method of bigquery-rest.md §0 under /bigquery/v2/projects/...
// and /projects/... (the BIGQUERY_EMULATOR_HOST form, §5.2), the token check when --token-public-key is given, the
// query parameters prettyPrint/fields/alt ignored, responses with a Date header like Google's. Its own switches:
//   POST /__emulator/reset                      no datasets, tables, jobs, streaming buffers or DML queues
//   POST /__emulator/streaming-buffer           {"ageSeconds": S}: how long insertAll rows stay buffered
//   POST /__emulator/streaming-buffer/flush     every buffered row reaches storage now
//   POST /__emulator/query-delay                {"ms": N, "dmlDurationMs": M}: jobComplete:false time, DML duration
//   GET  /__emulator/settings                   the current values
class BigQueryEmulator : public QObject
{
    Q_OBJECT
public:
    explicit BigQueryEmulator(BigQueryEmulatorSettings settings, QObject *parent = nullptr);

    bool open(QString *error); // the database (--data) and the token key
    HttpResponse handle(const HttpRequest &request);
    HttpResponse injectedError(int status) const; // Google's envelope for what the fault injector imposes

private:
    HttpResponse route(const HttpRequest &request);
    HttpResponse api(const HttpRequest &request, const QStringList &path);
    HttpResponse admin(const HttpRequest &request);
    QJsonObject settingsJson() const;
    void scheduleSettle();

    BigQueryEmulatorSettings m_settings;
    SqliteDatabase m_database;
    Catalog m_catalog;
    QueryEngine m_engine;
    JobStore m_jobs;
    DmlScheduler m_dml;
    StreamingBuffer m_buffer;
    TokenService m_tokens;
    JobsApi m_jobsApi;
    TableDataApi m_tableData;
    ResourceApi m_resources;
    QTimer m_settleTimer;
};

} // namespace tf::emu
