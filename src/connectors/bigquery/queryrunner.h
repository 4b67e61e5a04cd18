#pragma once

#include "connectors/bigquery/bigqueryclient.h"
#include "connectors/bigquery/schemafield.h"

#include <QJsonArray>

namespace tf {

struct QueryRequest {
    QString sql;
    QJsonArray parameters; // named parameters (ParameterEncoder)
    QString target;        // what the statement is about, for messages: "MERGE 120 rows into p:d.t"
    int maxResults = 0;    // rows per page; 0 = the server's choice (answers are capped at 10 MB anyway, §1.1)
};

struct QueryResult {
    QList<SchemaField> schema;
    QJsonArray rows; // raw rows {"f": [...]}, every page in order
    QString jobId;
    qint64 dmlAffectedRows = -1; // numDmlAffectedRows of a DML statement; -1 for queries
    int pages = 0;
    int polls = 0; // getQueryResults calls made while the job was not complete
};

// Runs one GoogleSQL statement to completion (bigquery-rest.md §1.4): jobs.query with named parameters,
// useLegacySql false, int64 timestamps and a requestId; while jobComplete is false, getQueryResults long-polls;
// then every page is fetched by pageToken. Request-level failures are retried by the client with the same
// requestId, so a statement whose answer was lost is not run twice (§1.1: a duplicate returns the first
// result). A job that failed retryably (BigQueryError::retryableJob) is run again as a new job: its requestId
// would only return the same failure.
class QueryRunner
{
public:
    QueryRunner(BigQueryClient &client, const QString &location);

    void setPollTimeoutMs(int timeoutMs) { m_pollTimeoutMs = timeoutMs; }

    // Throws ConnectorError naming the method, the target and the job.
    QueryResult run(const QueryRequest &request);

private:
    std::optional<QueryResult> runJob(const QueryRequest &request, const QString &requestId, BigQueryError *failure);
    // Reads schema, rows and pageToken of one response into `result`; throws when the shapes are wrong.
    QString takePage(const BigQueryReply &reply, QueryResult &result) const;
    int pollTimeoutMs() const;
    BigQueryClient::UrlQuery resultsQuery(const QueryRequest &request, const QString &pageToken, bool poll) const;

    BigQueryClient &m_client;
    QString m_location;
    int m_pollTimeoutMs = 10000;
};

} // namespace tf
