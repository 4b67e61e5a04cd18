#include "connectors/bigquery/queryrunner.h"

#include "core/logging.h"

#include <QJsonDocument>
#include <QUuid>

namespace tf {

namespace {

const QString kQuery = QStringLiteral("jobs.query");
const QString kResults = QStringLiteral("jobs.getQueryResults");

ConnectorError malformed(const BigQueryReply &reply, const QString &what)
{
    return ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                          QStringLiteral("%1 (%2): %3").arg(reply.request, reply.target, what));
}

// int64 quantities are JSON strings (§0); a number is tolerated, anything else is an error.
std::optional<qint64> int64Field(const QJsonObject &object, const QString &name, bool *malformedValue)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    bool ok = value.isDouble();
    const qint64 number = value.isString() ? value.toString().toLongLong(&ok) : qint64(value.toDouble());
    if (!ok)
        *malformedValue = true;
    return number;
}

} // namespace

QueryRunner::QueryRunner(BigQueryClient &client, const QString &location)
    : m_client(client)
    , m_location(location)
{
}

int QueryRunner::pollTimeoutMs() const
{
    // The server holds a long poll up to timeoutMs: the HTTP timeout of the call must outlast it.
    return std::max(1000, std::min(m_pollTimeoutMs, m_client.timeoutMs() / 2));
}

QueryResult QueryRunner::run(const QueryRequest &request)
{
    const RetryPolicy &policy = m_client.retryPolicy();
    for (int attempt = 1;; ++attempt) {
        BigQueryError failure;
        const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (std::optional<QueryResult> result = runJob(request, requestId, &failure)) {
            qCDebug(lcBigQuery).noquote() << request.target << "job" << result->jobId << ":" << result->rows.size()
                                          << "rows in" << result->pages << "page(s) after" << result->polls << "poll(s)";
            return *result;
        }
        if (!policy.shouldRetry(attempt))
            throw failure.toConnectorError(kQuery, request.target, attempt);
        const qint64 delay = policy.delayMs(attempt);
        qCInfo(lcBigQuery).noquote() << request.target << "failed:" << failure.summary() << "- new job" << attempt + 1
                                     << "in" << delay << "ms";
        HttpTransport::pause(delay);
    }
}

BigQueryClient::UrlQuery QueryRunner::resultsQuery(const QueryRequest &request, const QString &pageToken, bool poll) const
{
    BigQueryClient::UrlQuery query{{QStringLiteral("location"), m_location},
                                   {QStringLiteral("formatOptions.useInt64Timestamp"), QStringLiteral("true")}};
    if (request.maxResults > 0)
        query.append({QStringLiteral("maxResults"), QString::number(request.maxResults)});
    if (poll)
        query.append({QStringLiteral("timeoutMs"), QString::number(pollTimeoutMs())});
    if (!pageToken.isEmpty())
        query.append({QStringLiteral("pageToken"), pageToken});
    return query;
}

std::optional<QueryResult> QueryRunner::runJob(const QueryRequest &request, const QString &requestId,
                                               BigQueryError *failure)
{
    QJsonObject body{{QStringLiteral("query"), request.sql},
                     {QStringLiteral("useLegacySql"), false},
                     {QStringLiteral("parameterMode"), QStringLiteral("NAMED")},
                     {QStringLiteral("queryParameters"), request.parameters},
                     {QStringLiteral("location"), m_location},
                     {QStringLiteral("requestId"), requestId},
                     {QStringLiteral("timeoutMs"), pollTimeoutMs()},
                     {QStringLiteral("formatOptions"), QJsonObject{{QStringLiteral("useInt64Timestamp"), true}}}};
    if (request.maxResults > 0)
        body.insert(QStringLiteral("maxResults"), request.maxResults);

    BigQueryReply reply = m_client.send("POST", QStringLiteral("queries"), {}, body, kQuery, request.target);
    const auto failed = [&](const BigQueryReply &answer) {
        if (!answer.error.retryableJob())
            throw answer.failure();
        *failure = answer.error;
    };
    if (!reply.ok()) {
        failed(reply);
        return std::nullopt;
    }

    QueryResult result;
    const QJsonObject jobReference = reply.body.value(QStringLiteral("jobReference")).toObject();
    result.jobId = jobReference.value(QStringLiteral("jobId")).toString();
    const QString jobTarget = QStringLiteral("%1, job %2").arg(request.target, result.jobId);
    bool complete = reply.body.value(QStringLiteral("jobComplete")).toBool();
    if (result.jobId.isEmpty() && (!complete || !reply.body.value(QStringLiteral("pageToken")).toString().isEmpty()))
        throw malformed(reply, QStringLiteral("answer has no jobReference.jobId to fetch the results with"));
    const QString resultsPath = QStringLiteral("queries/") + QString::fromLatin1(QUrl::toPercentEncoding(result.jobId));

    while (!complete) {
        ++result.polls;
        reply = m_client.send("GET", resultsPath, resultsQuery(request, QString(), true), {}, kResults, jobTarget);
        if (!reply.ok()) {
            failed(reply); // a job that fails is reported here as an HTTP error (§1.4 step 4)
            return std::nullopt;
        }
        complete = reply.body.value(QStringLiteral("jobComplete")).toBool();
    }

    QString pageToken = takePage(reply, result);
    bool malformedCount = false;
    const std::optional<qint64> totalRows = int64Field(reply.body, QStringLiteral("totalRows"), &malformedCount);
    result.dmlAffectedRows =
        int64Field(reply.body, QStringLiteral("numDmlAffectedRows"), &malformedCount).value_or(-1);
    if (malformedCount)
        throw malformed(reply, QStringLiteral("totalRows or numDmlAffectedRows is not an int64 string"));

    while (!pageToken.isEmpty()) {
        reply = m_client.send("GET", resultsPath, resultsQuery(request, pageToken, false), {}, kResults, jobTarget);
        if (!reply.ok()) {
            failed(reply);
            return std::nullopt;
        }
        const QString next = takePage(reply, result);
        if (next == pageToken)
            throw malformed(reply, QStringLiteral("pageToken '%1' came back unchanged: paging would never end").arg(next));
        pageToken = next;
    }
    // Rows lost between pages would be contacts silently missing from a sync.
    if (totalRows && !result.schema.isEmpty() && *totalRows != result.rows.size()) {
        throw malformed(reply, QStringLiteral("totalRows is %1 but the pages held %2 rows")
                                   .arg(*totalRows)
                                   .arg(result.rows.size()));
    }
    return result;
}

QString QueryRunner::takePage(const BigQueryReply &reply, QueryResult &result) const
{
    const QJsonObject &body = reply.body;
    if (!body.value(QStringLiteral("jobComplete")).toBool(true))
        throw malformed(reply, QStringLiteral("a results page with jobComplete false"));
    const QJsonValue schema = body.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields"));
    if (result.schema.isEmpty() && !schema.isUndefined())
        result.schema = SchemaField::listFromJson(schema, reply.request + QStringLiteral(" (") + reply.target + QLatin1Char(')'));
    const QJsonValue rows = body.value(QStringLiteral("rows"));
    if (!rows.isUndefined() && !rows.isArray())
        throw malformed(reply, QStringLiteral("rows is not a list"));
    if (!rows.toArray().isEmpty() && result.schema.isEmpty())
        throw malformed(reply, QStringLiteral("rows without a schema"));
    for (const QJsonValue &row : rows.toArray())
        result.rows.append(row);
    ++result.pages;
    const QJsonValue token = body.value(QStringLiteral("pageToken"));
    if (!token.isUndefined() && !token.isNull() && !token.isString())
        throw malformed(reply, QStringLiteral("pageToken is not a string"));
    return token.toString();
}

} // namespace tf
