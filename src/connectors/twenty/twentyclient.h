#pragma once

#include "connectors/http/httptransport.h"
#include "core/connector.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QUrl>

namespace tf {

using QueryItems = QList<QPair<QString, QString>>;

// One answer of the Twenty API, parsed.
struct TwentyReply {
    QString request; // "GET /rest/people": named in every error about this answer
    int status = 0;
    QJsonValue body; // the parsed body; undefined when it was not JSON
    QString message; // messages[0] of Twenty's error body (§5), or a snippet of a body that is not one

    bool ok() const { return status >= 200 && status < 300; }
};

// One page of a list endpoint: `data.<key>` and the top-level pageInfo (§2.3, §9 #2).
struct TwentyPage {
    QJsonArray records;
    QString endCursor;
    bool hasNextPage = false;
};

// Twenty's REST envelopes and errors over the shared transport: Bearer key, JSON bodies, the client-side token
// bucket (§6: 100 requests/min per workspace), and the retry rule: 429, 5xx, timeouts and network errors are
// worth the same request again, with backoff that honours Retry-After (§5). Every write this connector sends is
// idempotent (records carry their id), so a retried POST cannot duplicate anything.
class TwentyClient
{
public:
    TwentyClient(const QUrl &baseUrl, const QString &apiKey, int requestsPerMinute);
    // Its waits and how long it sits out a server's Retry-After are the connector's to configure.
    HttpTransport &transport() { return m_transport; }

    void setRetryPolicy(const RetryPolicy &policy) { m_transport.setRetryPolicy(policy); }
    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }

    // Sends and returns any answer a caller can act on (2xx, 400, 404, ...). Throws ConnectorError for what no
    // caller can: no answer, 401/403, 429 or 5xx once the retries are spent, a 2xx body that is not JSON.
    TwentyReply send(const QByteArray &method, const QString &path, const QueryItems &query = {},
                     const QJsonValue &body = QJsonValue::Undefined);
    // send() that also throws for any other non-2xx, and returns data.<key> (data itself when key is empty).
    QJsonValue call(const QByteArray &method, const QString &path, const QueryItems &query = {},
                    const QJsonValue &body = QJsonValue::Undefined, const QString &key = QString());
    // data.<key> of a 2xx answer; throws naming the request when the envelope lacks it.
    QJsonValue data(const TwentyReply &reply, const QString &key) const;
    // "GET /rest/people: 401 Token invalid." with the kind its status calls for.
    ConnectorError error(const TwentyReply &reply, const QString &hint = QString()) const;

    // One page of a list endpoint, `limit` rows after `cursor` ("" = the first page).
    TwentyPage page(const QString &path, const QString &key, const QueryItems &query, int limit,
                    const QString &cursor);
    // Every row of a list endpoint, paging with starting_after until hasNextPage is false. Throws when the
    // server hands back the cursor it was given (§9 #1: a server that ignores the cursor repeats page one forever).
    QJsonArray all(const QString &path, const QString &key, const QueryItems &query, int pageSize = kMaxPageSize);
    // Throws unless `next` moves paging forward from `previous`.
    void requireProgress(const QString &path, const QString &previous, const TwentyPage &next) const;

    std::optional<double> rateLimitTokens() { return m_transport.rateLimitTokens(); }
    void awaitRequestBudget(int requests) { m_transport.awaitTokens(requests); }
    double rateLimitCapacity() const { return m_requestsPerMinute; }
    int requestsSent() const { return m_transport.requestsSent(); }
    std::optional<qint64> clockSkewMs() const { return m_transport.clockSkewMs(); }
    QUrl baseUrl() const { return m_baseUrl; }

    static constexpr int kMaxPageSize = 200; // QUERY_MAX_RECORDS; larger limits are clamped silently (§2.1, §9 #3)

private:
    QUrl urlFor(const QString &path, const QueryItems &query) const;

    QUrl m_baseUrl;
    QByteArray m_authorization;
    int m_requestsPerMinute;
    int m_timeoutMs = 60000;
    HttpTransport m_transport;
};

} // namespace tf
