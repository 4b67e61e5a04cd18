#pragma once

#include "core/layer.h"
#include "core/retrypolicy.h"
#include "core/tokenbucket.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QUrl>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace tf {

struct HttpCall {
    QByteArray method = "GET";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = "application/json";
    int timeoutMs = 60000;
};

struct HttpReply {
    int status = 0; // 0 = no HTTP answer at all (refused, dropped, timed out)
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QString networkError;                  // set when status is 0
    bool timedOut = false;
    int attempts = 0;

    bool answered() const { return status != 0; }
    bool ok() const { return status >= 200 && status < 300; }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    // Retry-After in ms (seconds or an HTTP date), or -1.
    qint64 retryAfterMs() const;
    // The Date header (the server's clock, whole seconds); invalid when absent or malformed.
    QDateTime serverDate() const { return parseHttpDate(header("date")); }
    // An HTTP date as servers send it (RFC 9110 §5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT"). Qt 6.4's RFC 2822 parser
    // does not take the "GMT" zone name, which every HTTP date ends with.
    static QDateTime parseHttpDate(const QByteArray &value);
};

// Sends HTTP requests synchronously on the calling (worker) thread: waits for a rate-limit token, sends, times out,
// and retries what the API's own rules call retryable, with exponential backoff that honours Retry-After.
// Each connector supplies the rules; the mechanics live here once.
class HttpTransport
{
public:
    static constexpr const char *kUserAgent = "truthforge-sync";

    // true when this reply is worth the same request again (the connector's reading of its API's errors).
    using RetryRule = std::function<bool(const HttpReply &)>;
    // Told before every wait of a second or more (a rate-limit token, a backoff, a server's Retry-After), so the
    // person sees why nothing moves.
    using WaitObserver = std::function<void(qint64 ms, const QString &reason)>;
    static constexpr qint64 kReportedWaitMs = 1000;

    explicit HttpTransport(Layer layer);

    void setRetryPolicy(const RetryPolicy &policy) { m_retry = policy; }
    // The longest Retry-After waited out ([sync] max_retry_after_s). A server asking for more gets no retry: send()
    // throws a Transient ConnectorError naming the wait, and the next cycle tries again.
    void setMaxRetryAfterMs(qint64 ms) { m_maxRetryAfterMs = ms; }
    void setWaitObserver(WaitObserver observer) { m_waitObserver = std::move(observer); }
    // Optional client-side bucket (Twenty: 100 requests/min/workspace). Shared by every call of this transport.
    void setRateLimit(double requestsPerWindow, qint64 windowMs);

    HttpReply send(const HttpCall &call, const RetryRule &retryable);
    // Waits until the client-side bucket holds `requests` tokens, so that many requests go out back to back: the
    // read that checks a version and the write that depends on it are not pulled apart by a wait for a token.
    void awaitTokens(int requests);
    HttpReply sendOnce(const HttpCall &call);

    int requestsSent() const { return m_requestsSent; }
    // Tokens left in the client-side bucket (the headroom a health check reports); nullopt without a bucket.
    std::optional<double> rateLimitTokens();
    qint64 rateLimitWaitedMs() const { return m_waitedMs; }
    // The server's clock minus ours, from the Date header of the last dated answer (its middle); nullopt before.
    std::optional<qint64> clockSkewMs() const { return m_clockSkewMs; }

    // One manager per thread, so connections are reused across every call made on that thread.
    static QNetworkAccessManager *network();
    // Waits without blocking the thread's event loop (signals from other connections still arrive).
    static void pause(qint64 ms);

private:
    void wait(qint64 ms, const QString &reason);

    Layer m_layer;
    RetryPolicy m_retry;
    std::optional<TokenBucket> m_bucket;
    int m_requestsSent = 0;
    qint64 m_waitedMs = 0;
    std::optional<qint64> m_clockSkewMs;
    qint64 m_maxRetryAfterMs = 60000;
    WaitObserver m_waitObserver;
};

} // namespace tf
