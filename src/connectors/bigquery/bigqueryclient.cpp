#include "connectors/bigquery/bigqueryclient.h"

#include "core/logging.h"

#include <QJsonDocument>

namespace tf {

namespace {

QString snippet(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(640)).simplified();
    if (text.size() > 160)
        text = text.left(160) + QStringLiteral("…");
    return text.isEmpty() ? QStringLiteral("(empty body)") : QLatin1Char('\'') + text + QLatin1Char('\'');
}

} // namespace

BigQueryClient::BigQueryClient(const BigQueryEndpoint &endpoint)
    : m_endpoint(endpoint)
    , m_transport(Layer::BigQuery)
{
    m_transport.setRetryPolicy(m_retry);
    if (m_endpoint.key)
        m_tokens = std::make_unique<AccessTokenProvider>(*m_endpoint.key, m_transport);
}

void BigQueryClient::setRetryPolicy(const RetryPolicy &policy)
{
    m_retry = policy;
    m_transport.setRetryPolicy(policy);
}

QUrl BigQueryClient::urlFor(const QString &path, const UrlQuery &query) const
{
    QUrl url = m_endpoint.baseUrl.resolved(QUrl(QStringLiteral("projects/%1/%2").arg(m_endpoint.project, path)));
    // Encoded by hand: QUrlQuery leaves '+' alone, which a server reads as a space (page tokens contain '+').
    QByteArray encoded;
    for (const auto &[name, value] : query) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(name, ".") + '=' + QUrl::toPercentEncoding(value);
    }
    if (!encoded.isEmpty())
        url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);
    return url;
}

HttpReply BigQueryClient::sendAuthorized(HttpCall &call)
{
    if (!m_tokens)
        return m_transport.send(call, BigQueryError::retryableRequest);
    call.headers.append({QByteArray("Authorization"), m_tokens->authorization()});
    HttpReply reply = m_transport.send(call, BigQueryError::retryableRequest);
    if (reply.status == 401) {
        // The token died early (revoked, or this machine's clock runs ahead): one fresh token, one more try.
        m_tokens->invalidate();
        call.headers.last().second = m_tokens->authorization();
        reply = m_transport.send(call, BigQueryError::retryableRequest);
    }
    return reply;
}

BigQueryReply BigQueryClient::send(const QByteArray &method, const QString &path, const UrlQuery &query,
                                   const QJsonObject &body, const QString &request, const QString &target)
{
    HttpCall call;
    call.method = method;
    call.url = urlFor(path, query);
    call.timeoutMs = m_timeoutMs;
    call.headers.append({QByteArray("Accept"), QByteArray("application/json")});
    if (!body.isEmpty())
        call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);

    const HttpReply http = sendAuthorized(call);

    BigQueryReply reply;
    reply.request = request;
    reply.target = target;
    reply.status = http.status;
    reply.attempts = http.attempts;
    qCDebug(lcBigQuery).noquote() << request << target << method << call.url.path() << "→" << http.status << "after"
                                  << http.attempts << "attempt(s)";
    if (!reply.ok()) {
        reply.error = BigQueryError::fromReply(http);
        if (!http.answered() || http.status == 401 || BigQueryError::retryableRequest(http))
            throw reply.failure();
        return reply;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(http.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                             QStringLiteral("%1 (%2): %3 answer is not a JSON object (%4): %5")
                                 .arg(request, target)
                                 .arg(http.status)
                                 .arg(parseError.error != QJsonParseError::NoError
                                          ? QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                                          : QStringLiteral("a JSON %1").arg(doc.isArray() ? QStringLiteral("list") : QStringLiteral("scalar")),
                                      snippet(http.body)));
    }
    reply.body = doc.object();
    return reply;
}

QJsonObject BigQueryClient::call(const QByteArray &method, const QString &path, const UrlQuery &query,
                                 const QJsonObject &body, const QString &request, const QString &target)
{
    const BigQueryReply reply = send(method, path, query, body, request, target);
    if (!reply.ok())
        throw reply.failure();
    return reply.body;
}

} // namespace tf
