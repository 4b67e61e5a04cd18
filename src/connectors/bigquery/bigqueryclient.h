#pragma once

#include "connectors/bigquery/accesstokenprovider.h"
#include "connectors/bigquery/bigqueryendpoint.h"
#include "connectors/bigquery/bigqueryerror.h"
#include "connectors/http/httptransport.h"

#include <QJsonObject>
#include <memory>
#include <optional>

namespace tf {

// One answer of the REST API, parsed. `request` is the API method ("tables.get"), `target` what it was about
// ("p:d.t", "job job_123"): both are named in every error about it.
struct BigQueryReply {
    QString request;
    QString target;
    int status = 0;
    int attempts = 0;
    QJsonObject body;    // the parsed body of a 2xx answer
    BigQueryError error; // set when not 2xx

    bool ok() const { return status >= 200 && status < 300; }
    ConnectorError failure() const { return error.toConnectorError(request, target, attempts); }
};

// BigQuery's REST resources over the shared transport: the base URL and credentials of BigQueryEndpoint, the
// Bearer token of AccessTokenProvider (renewed once when the API answers 401), and the retry rule of §3.3 —
// whatever BigQueryError::retryableRequest says goes out again unchanged, with backoff and Retry-After.
class BigQueryClient
{
public:
    using UrlQuery = QList<QPair<QString, QString>>;
    // Its waits and how long it sits out a server's Retry-After are the connector's to configure.
    HttpTransport &transport() { return m_transport; }

    explicit BigQueryClient(const BigQueryEndpoint &endpoint);

    void setRetryPolicy(const RetryPolicy &policy);
    const RetryPolicy &retryPolicy() const { return m_retry; }
    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    int timeoutMs() const { return m_timeoutMs; }

    // `path` is relative to projects/{project}/. Returns 2xx and API errors alike (callers act on 404, 409);
    // throws ConnectorError for what no caller can act on: no answer, a refused token, a retryable failure once
    // the retries are spent, and a 2xx body that is not a JSON object.
    BigQueryReply send(const QByteArray &method, const QString &path, const UrlQuery &query, const QJsonObject &body,
                       const QString &request, const QString &target);
    // send() that also throws for every non-2xx answer.
    QJsonObject call(const QByteArray &method, const QString &path, const UrlQuery &query, const QJsonObject &body,
                     const QString &request, const QString &target);

    const BigQueryEndpoint &endpoint() const { return m_endpoint; }
    // Server time minus local time, from the Date header of the last answer; nullopt before one arrived.
    std::optional<qint64> clockSkewMs() const { return m_transport.clockSkewMs(); }
    int requestsSent() const { return m_transport.requestsSent(); }
    int tokenExchanges() const { return m_tokens ? m_tokens->exchanges() : 0; }

private:
    HttpReply sendAuthorized(HttpCall &call);
    QUrl urlFor(const QString &path, const UrlQuery &query) const;

    BigQueryEndpoint m_endpoint;
    HttpTransport m_transport;
    RetryPolicy m_retry;
    std::unique_ptr<AccessTokenProvider> m_tokens;
    int m_timeoutMs = 60000;
};

} // namespace tf
