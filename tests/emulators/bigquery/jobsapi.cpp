#include "bigquery/jobsapi.h"

#include "bigquery/pagetoken.h"
#include "bigquery/parameterdecoder.h"
#include "bigquery/rowpager.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <chrono>

namespace tf::emu {

namespace {

constexpr qint64 kDefaultTimeoutMs = 10000;
constexpr qint64 kMaxTimeoutMs = 200000; // jobs.query returns after ~200 s at the latest (§1.1)

QJsonObject bodyOf(const HttpRequest &request)
{
    if (request.body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (!document.isObject()) {
        throw GoogleError(400, QStringLiteral("parseError"),
                          QStringLiteral("Invalid JSON payload received. %1 at offset %2.").arg(error.errorString()).arg(error.offset));
    }
    return document.object();
}

QString newJobId()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    QString id = QStringLiteral("job_");
    for (int i = 0; i < 28; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet - 1))]);
    return id;
}

qint64 microsNow()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<qint64> number(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    bool ok = false;
    const qint64 parsed = value.toString().toLongLong(&ok);
    return ok ? std::optional<qint64>(parsed) : std::nullopt;
}

std::optional<qint64> queryNumber(const HttpRequest &request, const QString &key)
{
    if (!request.query.hasQueryItem(key))
        return std::nullopt;
    bool ok = false;
    const qint64 value = request.queryValue(key).toLongLong(&ok);
    if (!ok || value < 0)
        throw GoogleError::invalid(QStringLiteral("Invalid value for %1: %2").arg(key, request.queryValue(key)));
    return value;
}

QJsonObject dmlStats(const QueryOutcome &outcome)
{
    // The count of the statement's own kind is always there; a MERGE gives all three.
    const DmlStats &stats = *outcome.dml;
    const bool merge = outcome.statementType == QLatin1String("MERGE");
    QJsonObject object;
    if (merge || stats.inserted || outcome.statementType == QLatin1String("INSERT"))
        object.insert(QStringLiteral("insertedRowCount"), QString::number(stats.inserted));
    if (merge || stats.updated || outcome.statementType == QLatin1String("UPDATE"))
        object.insert(QStringLiteral("updatedRowCount"), QString::number(stats.updated));
    if (merge || stats.deleted || outcome.statementType == QLatin1String("DELETE") || outcome.statementType == QLatin1String("TRUNCATE_TABLE"))
        object.insert(QStringLiteral("deletedRowCount"), QString::number(stats.deleted));
    return object;
}

QJsonObject jobReference(const QueryJob &job)
{
    return QJsonObject{{QStringLiteral("projectId"), job.project},
                       {QStringLiteral("jobId"), job.jobId},
                       {QStringLiteral("location"), job.location}};
}

} // namespace

JobsApi::JobsApi(QueryEngine &engine, JobStore &jobs, DmlScheduler &dml, const BigQueryEmulatorSettings &settings)
    : m_engine(engine)
    , m_jobs(jobs)
    , m_dml(dml)
    , m_settings(settings)
{
}

qint64 JobsApi::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QueryJob &JobsApi::submit(const QString &project, const QString &jobId, const QString &location, const QJsonObject &configuration)
{
    // The API's default is legacy SQL (§1.1); this stand-in speaks GoogleSQL only and says so rather than guess.
    const QJsonValue legacy = configuration.value(QStringLiteral("useLegacySql"));
    if (!(legacy.isBool() && !legacy.toBool()))
        throw GoogleError::invalidQuery(QStringLiteral("tf-bigquery-emulator runs GoogleSQL only: set useLegacySql to false "
                                                       "(the API's default is legacy SQL)"));
    for (const char *option : {"dryRun", "createSession"}) {
        if (configuration.value(QString::fromLatin1(option)).toBool())
            throw GoogleError::invalid(QStringLiteral("tf-bigquery-emulator does not support %1").arg(QString::fromLatin1(option)));
    }
    if (configuration.contains(QStringLiteral("destinationTable")))
        throw GoogleError::invalid(QStringLiteral("tf-bigquery-emulator does not support destinationTable"));
    const QString sql = configuration.value(QStringLiteral("query")).toString();
    if (sql.trimmed().isEmpty())
        throw GoogleError::invalid(QStringLiteral("Required parameter is missing: query"));

    QueryJob job;
    job.project = project;
    job.jobId = jobId;
    job.location = location.isEmpty() ? QStringLiteral("US") : location;
    job.configuration = configuration;
    job.context.project = project;
    job.context.location = location;
    const QJsonObject defaultDataset = configuration.value(QStringLiteral("defaultDataset")).toObject();
    job.context.defaultProject = defaultDataset.value(QStringLiteral("projectId")).toString();
    job.context.defaultDataset = defaultDataset.value(QStringLiteral("datasetId")).toString();
    ParameterDecoder::decode(configuration, job.context);
    job.statement = QueryEngine::parse(sql);
    job.mutatedTable = QueryEngine::mutatedTable(job.statement, job.context);
    job.createdMs = nowMs();
    job.readyAtMs = job.createdMs + m_settings.queryDelayMs;
    if (job.mutatedTable) {
        const std::optional<qint64> finish = m_dml.schedule(*job.mutatedTable, job.createdMs, m_settings.dmlDuration());
        if (!finish) {
            throw GoogleError::resourcesExceeded(QStringLiteral("Resources exceeded during query execution: Too many DML statements "
                                                                "outstanding against table %1, limit is %2")
                                                     .arg(*job.mutatedTable)
                                                     .arg(DmlScheduler::kQueued));
        }
        job.readyAtMs = *finish;
    }
    return m_jobs.add(std::move(job));
}

void JobsApi::settle()
{
    const qint64 now = nowMs();
    for (QueryJob *job : m_jobs.due(now)) {
        job->startedMs = std::max(job->createdMs, job->readyAtMs - std::max(m_settings.queryDelayMs, m_settings.dmlDuration()));
        job->context.nowMicros = microsNow();
        try {
            job->outcome = m_engine.run(job->statement, job->context, now);
        } catch (const GoogleError &error) {
            job->error = error;
        } catch (const std::exception &error) {
            job->error = GoogleError::internalError(QString::fromUtf8(error.what()));
        }
        job->done = true;
        job->endedMs = nowMs();
    }
    m_jobs.expire(now);
}

HttpResponse JobsApi::await(const QString &project, const QString &jobId, qint64 timeoutMs, const Responder &respond)
{
    settle();
    const QueryJob *job = m_jobs.find(project, jobId);
    const qint64 wait = std::min(std::min(timeoutMs, kMaxTimeoutMs), job->readyAtMs - nowMs());
    if (job->done || wait <= 0)
        return respond(*job);
    return HttpResponse::later(int(wait), [this, project, jobId, respond] {
        try {
            settle();
            const QueryJob *later = m_jobs.find(project, jobId);
            if (!later)
                return GoogleError::notFound(QStringLiteral("Not found: Job %1:%2").arg(project, jobId)).response();
            return respond(*later);
        } catch (const GoogleError &error) {
            return error.response();
        }
    });
}

HttpResponse JobsApi::results(const QueryJob &job, const Paging &paging, bool queryResponse) const
{
    QJsonObject body{{QStringLiteral("kind"), queryResponse ? QStringLiteral("bigquery#queryResponse") : QStringLiteral("bigquery#getQueryResultsResponse")},
                     {QStringLiteral("jobReference"), jobReference(job)},
                     {QStringLiteral("jobComplete"), job.done}};
    if (!job.done)
        return HttpResponse::json(200, body); // §1.4: kind, jobReference and jobComplete only
    if (job.error)
        return job.error->response();
    const QueryOutcome &outcome = job.outcome;
    body.insert(QStringLiteral("totalBytesProcessed"), QString::number(outcome.bytesProcessed));
    body.insert(QStringLiteral("cacheHit"), false);
    if (queryResponse)
        body.insert(QStringLiteral("queryId"), job.jobId); // the recorded responses of §1.2/§1.3 carry no timing fields
    if (outcome.dml) {
        body.insert(QStringLiteral("numDmlAffectedRows"), QString::number(outcome.dml->affected()));
        if (queryResponse)
            body.insert(QStringLiteral("dmlStats"), dmlStats(outcome));
        return HttpResponse::json(200, body);
    }
    body.insert(QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), FieldSchema::listToJson(outcome.schema)}});
    body.insert(QStringLiteral("totalRows"), QString::number(outcome.rows.size()));
    const qsizetype count = paging.maxResults && *paging.maxResults > 0 ? qsizetype(*paging.maxResults) : outcome.rows.size();
    const RowPager::Page page = RowPager::encode(outcome.rows, qsizetype(paging.offset), count, outcome.schema, paging.encoder);
    if (!page.rows.isEmpty())
        body.insert(QStringLiteral("rows"), page.rows);
    const qint64 next = paging.offset + page.emitted;
    if (next < outcome.rows.size())
        body.insert(QStringLiteral("pageToken"), PageToken::encode(job.id(), next));
    if (!queryResponse) {
        body.insert(QStringLiteral("etag"), QString::fromLatin1(QCryptographicHash::hash((job.id() + QString::number(job.endedMs)).toUtf8(),
                                                                                         QCryptographicHash::Md5)
                                                                    .toBase64()));
    }
    return HttpResponse::json(200, body);
}

HttpResponse JobsApi::query(const HttpRequest &request, const QString &project)
{
    const QJsonObject body = bodyOf(request);
    const QString requestId = body.value(QStringLiteral("requestId")).toString();
    const qint64 now = nowMs();
    // The same requestId within 15 minutes is the same job: its first result, never a second run (§5.4.7).
    QueryJob *job = requestId.isEmpty() ? nullptr : m_jobs.byRequestId(project, requestId, now);
    if (!job) {
        QJsonObject configuration;
        for (const char *key : {"query", "useLegacySql", "parameterMode", "queryParameters", "defaultDataset", "dryRun", "createSession",
                                "maximumBytesBilled", "useQueryCache", "labels", "connectionProperties"}) {
            const QString name = QString::fromLatin1(key);
            if (body.contains(name))
                configuration.insert(name, body.value(name));
        }
        job = &submit(project, newJobId(), body.value(QStringLiteral("location")).toString(), configuration);
        if (!requestId.isEmpty())
            m_jobs.rememberRequest(project, requestId, job->jobId, now);
    }
    Paging paging{CellEncoder::fromBody(body.value(QStringLiteral("formatOptions")).toObject()), 0,
                  number(body.value(QStringLiteral("maxResults")))};
    const qint64 timeout = number(body.value(QStringLiteral("timeoutMs"))).value_or(kDefaultTimeoutMs);
    return await(project, job->jobId, timeout, [this, paging](const QueryJob &done) { return results(done, paging, true); });
}

QueryJob &JobsApi::findJob(const HttpRequest &request, const QString &project, const QString &jobId)
{
    QueryJob *job = m_jobs.find(project, jobId);
    const QString location = request.queryValue(QStringLiteral("location"));
    if (!job || (!location.isEmpty() && location.compare(job->location, Qt::CaseInsensitive) != 0)) {
        throw GoogleError::notFound(QStringLiteral("Not found: Job %1:%2.%3")
                                        .arg(project, location.isEmpty() ? (job ? job->location : QStringLiteral("US")) : location, jobId));
    }
    return *job;
}

HttpResponse JobsApi::getQueryResults(const HttpRequest &request, const QString &project, const QString &jobId)
{
    const QueryJob &job = findJob(request, project, jobId);
    Paging paging{CellEncoder::fromQuery(request), queryNumber(request, QStringLiteral("startIndex")).value_or(0),
                  queryNumber(request, QStringLiteral("maxResults"))};
    const QString pageToken = request.queryValue(QStringLiteral("pageToken"));
    if (!pageToken.isEmpty()) {
        const std::optional<qint64> offset = PageToken::decode(pageToken, job.id());
        if (!offset)
            throw GoogleError::invalid(QStringLiteral("Invalid page token: %1").arg(pageToken));
        paging.offset = *offset;
    }
    const qint64 timeout = queryNumber(request, QStringLiteral("timeoutMs")).value_or(kDefaultTimeoutMs);
    return await(project, jobId, timeout, [this, paging](const QueryJob &done) { return results(done, paging, false); });
}

HttpResponse JobsApi::insert(const HttpRequest &request, const QString &project)
{
    const QJsonObject body = bodyOf(request);
    const QJsonObject reference = body.value(QStringLiteral("jobReference")).toObject();
    QString jobId = reference.value(QStringLiteral("jobId")).toString();
    static const QRegularExpression validId(QStringLiteral("^[A-Za-z0-9_-]{1,1024}$"));
    if (jobId.isEmpty())
        jobId = newJobId();
    else if (!validId.match(jobId).hasMatch())
        throw GoogleError::invalid(QStringLiteral("Invalid job ID \"%1\". Job IDs must be alphanumeric (plus underscores and dashes) "
                                                  "and must be at most 1024 characters long.").arg(jobId));
    const QString location = reference.value(QStringLiteral("location")).toString();
    if (QueryJob *existing = m_jobs.find(project, jobId))
        throw GoogleError::duplicate(QStringLiteral("Already Exists: Job %1").arg(existing->id()));
    const QJsonObject configuration = body.value(QStringLiteral("configuration")).toObject().value(QStringLiteral("query")).toObject();
    if (configuration.isEmpty())
        throw GoogleError::invalid(QStringLiteral("tf-bigquery-emulator runs query jobs only (configuration.query)"));
    QueryJob *job = nullptr;
    try {
        job = &submit(project, jobId, location, configuration);
    } catch (const GoogleError &error) {
        // The job exists and failed (§3.3: job errors are status.errorResult, no HTTP error).
        QueryJob failed;
        failed.project = project;
        failed.jobId = jobId;
        failed.location = location.isEmpty() ? QStringLiteral("US") : location;
        failed.configuration = configuration;
        failed.createdMs = failed.startedMs = failed.endedMs = failed.readyAtMs = nowMs();
        failed.done = true;
        failed.error = error;
        job = &m_jobs.add(std::move(failed));
    }
    settle();
    return HttpResponse::json(200, jobResource(*job, request));
}

HttpResponse JobsApi::get(const HttpRequest &request, const QString &project, const QString &jobId)
{
    settle();
    return HttpResponse::json(200, jobResource(findJob(request, project, jobId), request));
}

QJsonObject JobsApi::jobResource(const QueryJob &job, const HttpRequest &request) const
{
    QJsonObject statistics{{QStringLiteral("creationTime"), QString::number(job.createdMs)}};
    QJsonObject status{{QStringLiteral("state"), job.done ? QStringLiteral("DONE") : QStringLiteral("RUNNING")}};
    if (job.done) {
        statistics.insert(QStringLiteral("startTime"), QString::number(job.startedMs));
        statistics.insert(QStringLiteral("endTime"), QString::number(job.endedMs));
        if (job.error) {
            status.insert(QStringLiteral("errorResult"), job.error->errorProto());
            status.insert(QStringLiteral("errors"), QJsonArray{job.error->errorProto()});
        } else {
            const QString bytes = QString::number(job.outcome.bytesProcessed);
            QJsonObject query{{QStringLiteral("statementType"), job.outcome.statementType},
                              {QStringLiteral("totalBytesProcessed"), bytes},
                              {QStringLiteral("cacheHit"), false}};
            if (job.outcome.dml) {
                query.insert(QStringLiteral("numDmlAffectedRows"), QString::number(job.outcome.dml->affected()));
                query.insert(QStringLiteral("dmlStats"), dmlStats(job.outcome));
            } else {
                query.insert(QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), FieldSchema::listToJson(job.outcome.schema)}});
            }
            statistics.insert(QStringLiteral("totalBytesProcessed"), bytes);
            statistics.insert(QStringLiteral("query"), query);
        }
    }
    QJsonObject configuration = job.configuration;
    configuration.insert(QStringLiteral("priority"), configuration.value(QStringLiteral("priority")).toString(QStringLiteral("INTERACTIVE")));
    const QString host = QString::fromLatin1(request.header("host"));
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("bigquery#job")},
                       {QStringLiteral("etag"), QString::fromLatin1(QCryptographicHash::hash(job.id().toUtf8(), QCryptographicHash::Md5).toBase64())},
                       {QStringLiteral("id"), job.id()},
                       {QStringLiteral("selfLink"), QStringLiteral("http://%1/bigquery/v2/projects/%2/jobs/%3?location=%4").arg(host, job.project, job.jobId, job.location)},
                       {QStringLiteral("user_email"), QStringLiteral("emulator@tf-bigquery-emulator.local")},
                       {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("query"), configuration}, {QStringLiteral("jobType"), QStringLiteral("QUERY")}}},
                       {QStringLiteral("jobReference"), jobReference(job)},
                       {QStringLiteral("statistics"), statistics},
                       {QStringLiteral("status"), status}};
}

} // namespace tf::emu
