#pragma once

#include "bigquery/bigqueryemulatorsettings.h"
#include "bigquery/cellencoder.h"
#include "bigquery/dmlscheduler.h"
#include "bigquery/jobstore.h"
#include "bigquery/queryengine.h"
#include "common/httpmessage.h"

#include <functional>

namespace tf::emu {

// jobs.query, jobs.getQueryResults, jobs.insert and jobs.get (§1). A job runs when it is due (at once, after
// --query-delay-ms, or when the DML queue of its table reaches it); until then the calls answer jobComplete:false,
// holding the request open up to timeoutMs (long poll). Results page with opaque pageTokens, startIndex and
// maxResults, the schema on every page; a failed job is an HTTP error on jobs.query and getQueryResults (§1.4) and
// status.errorResult on jobs.get.
class JobsApi
{
public:
    JobsApi(QueryEngine &engine, JobStore &jobs, DmlScheduler &dml, const BigQueryEmulatorSettings &settings);

    HttpResponse query(const HttpRequest &request, const QString &project);
    HttpResponse getQueryResults(const HttpRequest &request, const QString &project, const QString &jobId);
    HttpResponse insert(const HttpRequest &request, const QString &project);
    HttpResponse get(const HttpRequest &request, const QString &project, const QString &jobId);

    void settle(); // runs every job that is due
    std::optional<qint64> nextReadyAt() const { return m_jobs.nextReadyAt(); }

    static qint64 nowMs();

private:
    struct Paging {
        CellEncoder encoder;
        qint64 offset = 0;
        std::optional<qint64> maxResults;
    };
    using Responder = std::function<HttpResponse(const QueryJob &)>;

    QueryJob &submit(const QString &project, const QString &jobId, const QString &location, const QJsonObject &configuration);
    HttpResponse await(const QString &project, const QString &jobId, qint64 timeoutMs, const Responder &respond);
    HttpResponse results(const QueryJob &job, const Paging &paging, bool queryResponse) const;
    QJsonObject jobResource(const QueryJob &job, const HttpRequest &request) const;
    QueryJob &findJob(const HttpRequest &request, const QString &project, const QString &jobId);

    QueryEngine &m_engine;
    JobStore &m_jobs;
    DmlScheduler &m_dml;
    const BigQueryEmulatorSettings &m_settings;
};

} // namespace tf::emu
