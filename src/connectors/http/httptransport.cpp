#include "connectors/http/httptransport.h"

#include "core/connector.h"
#include "core/logging.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThreadStorage>
#include <QTimer>

namespace tf {

qint64 HttpReply::retryAfterMs() const
{
    const QByteArray value = header("retry-after").trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok)
        return qint64(seconds * 1000.0);
    const QDateTime when = parseHttpDate(value);
    return when.isValid() ? std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)) : -1;
}

QDateTime HttpReply::parseHttpDate(const QByteArray &value)
{
    QString text = QString::fromLatin1(value).trimmed();
    if (text.endsWith(QLatin1String(" GMT")) || text.endsWith(QLatin1String(" UTC")))
        text = text.left(text.size() - 3) + QLatin1String("+0000");
    return QDateTime::fromString(text, Qt::RFC2822Date).toUTC();
}

HttpTransport::HttpTransport(Layer layer)
    : m_layer(layer)
{
}

void HttpTransport::setRateLimit(double requestsPerWindow, qint64 windowMs)
{
    m_bucket.emplace(requestsPerWindow, windowMs);
}

std::optional<double> HttpTransport::rateLimitTokens()
{
    if (!m_bucket)
        return std::nullopt;
    return m_bucket->available();
}

QNetworkAccessManager *HttpTransport::network()
{
    static QThreadStorage<QNetworkAccessManager *> perThread;
    if (!perThread.hasLocalData())
        perThread.setLocalData(new QNetworkAccessManager);
    return perThread.localData();
}

void HttpTransport::pause(qint64 ms)
{
    if (ms <= 0)
        return;
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void HttpTransport::wait(qint64 ms, const QString &reason)
{
    if (ms >= kReportedWaitMs && m_waitObserver)
        m_waitObserver(ms, reason);
    pause(ms);
}

void HttpTransport::awaitTokens(int requests)
{
    if (!m_bucket)
        return;
    while (const qint64 ms = m_bucket->waitFor(requests)) {
        m_waitedMs += ms;
        wait(ms, QStringLiteral("client-side rate limit"));
    }
}

HttpReply HttpTransport::sendOnce(const HttpCall &call)
{
    if (m_bucket) {
        while (const qint64 ms = m_bucket->tryAcquire()) {
            m_waitedMs += ms;
            wait(ms, QStringLiteral("client-side rate limit"));
        }
    }
    QNetworkRequest request(call.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    // Named, so a service's request logs (and the stand-ins') tell the sync's requests from a person's.
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray(kUserAgent));
    if (!call.body.isEmpty() || call.method == "POST" || call.method == "PATCH" || call.method == "PUT")
        request.setHeader(QNetworkRequest::ContentTypeHeader, call.contentType);
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);

    ++m_requestsSent;
    const QDateTime sentAt = QDateTime::currentDateTimeUtc();
    QNetworkReply *reply = network()->sendCustomRequest(request, call.method, call.body);
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timeout.start(call.timeoutMs);
    if (!reply->isFinished())
        loop.exec();

    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    result.timedOut = timedOut;
    if (const QDateTime serverDate = result.serverDate(); serverDate.isValid()) {
        // The Date header has whole seconds; compare it with the middle of the exchange.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        m_clockSkewMs = sentAt.addMSecs(sentAt.msecsTo(now) / 2).msecsTo(serverDate);
    }
    if (result.status == 0) {
        result.networkError = timedOut ? QStringLiteral("no answer within %1 ms").arg(call.timeoutMs)
                                       : reply->errorString();
    }
    reply->deleteLater();
    if (m_bucket && result.status == 429)
        m_bucket->drain(); // the server's count is the truth (twenty-rest.md §5)
    return result;
}

HttpReply HttpTransport::send(const HttpCall &call, const RetryRule &retryable)
{
    for (int attempt = 1;; ++attempt) {
        HttpReply reply = sendOnce(call);
        reply.attempts = attempt;
        if (!retryable(reply) || !m_retry.shouldRetry(attempt))
            return reply;
        const qint64 asked = reply.retryAfterMs();
        if (asked > m_maxRetryAfterMs) {
            // Sleeping through it would look like a hang; the cycle ends for this layer and the next one retries.
            throw ConnectorError(m_layer, ConnectorError::Kind::Transient,
                                 QStringLiteral("%1 %2 answered %3 and asks to wait %4 s, longer than "
                                                "max_retry_after_s=%5 in [sync]; the next cycle tries again")
                                     .arg(QString::fromLatin1(call.method), call.url.path())
                                     .arg(reply.status)
                                     .arg((asked + 999) / 1000)
                                     .arg(m_maxRetryAfterMs / 1000));
        }
        const qint64 delay = m_retry.delayMs(attempt, asked);
        qCInfo(lcEngine).noquote() << layerName(m_layer) << call.method << call.url.path() << "answered"
                                   << (reply.answered() ? QString::number(reply.status) : reply.networkError)
                                   << "- retry" << attempt << "in" << delay << "ms";
        wait(delay,
             asked >= 0
                 ? QStringLiteral("the server asked to wait (Retry-After)")
                 : QStringLiteral("backing off after %1")
                       .arg(reply.answered() ? QStringLiteral("HTTP %1").arg(reply.status) : reply.networkError));
    }
}

} // namespace tf
