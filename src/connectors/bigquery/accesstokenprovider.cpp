#include "connectors/bigquery/accesstokenprovider.h"

#include "connectors/bigquery/bigqueryerror.h"
#include "core/logging.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

AccessTokenProvider::AccessTokenProvider(const ServiceAccountKey &key, HttpTransport &transport, Clock clock)
    : m_key(key)
    , m_signer(key.privateKeyPem, key.privateKeyId)
    , m_transport(transport)
    , m_clock(clock ? std::move(clock) : [] { return QDateTime::currentDateTimeUtc(); })
{
}

QByteArray AccessTokenProvider::authorization()
{
    if (m_token.isEmpty() || m_clock() >= m_refreshAt)
        exchange();
    return "Bearer " + m_token;
}

void AccessTokenProvider::invalidate()
{
    m_token.clear();
}

QByteArray AccessTokenProvider::assertion() const
{
    const qint64 now = m_clock().toSecsSinceEpoch();
    return m_signer.sign(QJsonObject{{QStringLiteral("iss"), m_key.clientEmail},
                                     {QStringLiteral("scope"), kScope},
                                     {QStringLiteral("aud"), m_key.tokenUri.toString()},
                                     {QStringLiteral("iat"), now},
                                     {QStringLiteral("exp"), now + 3600}});
}

void AccessTokenProvider::exchange()
{
    HttpCall call;
    call.method = "POST";
    call.url = m_key.tokenUri;
    call.contentType = "application/x-www-form-urlencoded";
    // Percent-encoded by hand: QUrlQuery leaves '+' alone, which a form parser reads as a space.
    call.body = "grant_type=" + QUrl::toPercentEncoding(QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer"))
        + "&assertion=" + QUrl::toPercentEncoding(QString::fromLatin1(assertion()));
    const QDateTime sentAt = m_clock();
    const HttpReply reply = m_transport.send(call, BigQueryError::retryableRequest);
    ++m_exchanges;
    const QString request = QStringLiteral("token exchange at %1 for %2").arg(m_key.tokenUri.toString(), m_key.clientEmail);
    if (!reply.answered()) {
        throw ConnectorError(Layer::BigQuery,
                             reply.timedOut ? ConnectorError::Kind::Transient : ConnectorError::Kind::Unreachable,
                             QStringLiteral("%1: no answer after %2 attempt(s): %3")
                                 .arg(request)
                                 .arg(reply.attempts)
                                 .arg(reply.networkError));
    }
    const QJsonObject body = QJsonDocument::fromJson(reply.body).object();
    if (!reply.ok()) {
        // {"error": "invalid_grant", "error_description": "Invalid JWT Signature."} (§4.2)
        const QString error = body.value(QStringLiteral("error")).toString();
        const QString description = body.value(QStringLiteral("error_description")).toString();
        const QString detail = error.isEmpty() ? BigQueryError::fromReply(reply).message
                                               : description.isEmpty() ? error : error + QStringLiteral(": ") + description;
        const bool refused = reply.status == 400 || reply.status == 401 || reply.status == 403;
        throw ConnectorError(Layer::BigQuery, refused ? ConnectorError::Kind::Authentication : ConnectorError::Kind::Transient,
                             QStringLiteral("%1: %2 %3%4")
                                 .arg(request)
                                 .arg(reply.status)
                                 .arg(detail,
                                      refused ? QStringLiteral(" (the service-account key was refused: revoked, "
                                                               "deleted, or the machine's clock is off)")
                                              : QString()));
    }
    const QString token = body.value(QStringLiteral("access_token")).toString();
    const qint64 expiresIn = qint64(body.value(QStringLiteral("expires_in")).toDouble());
    if (token.isEmpty() || expiresIn <= 0) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Authentication,
                             QStringLiteral("%1: %2 answer without access_token and expires_in: %3")
                                 .arg(request)
                                 .arg(reply.status)
                                 .arg(QString::fromUtf8(reply.body.left(200))));
    }
    m_token = token.toUtf8();
    // A short-lived token is replaced halfway through its life instead of on every call.
    m_refreshAt = sentAt.addSecs(expiresIn - std::min(kRefreshMarginSecs, expiresIn / 2));
    qCDebug(lcBigQuery).noquote() << "access token for" << m_key.clientEmail << "valid for" << expiresIn << "s";
}

} // namespace tf
