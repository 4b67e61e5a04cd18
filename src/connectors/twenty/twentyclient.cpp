#include "connectors/twenty/twentyclient.h"

#include "core/logging.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

namespace {

// Twenty refills its bucket over 60 s (§6) and old servers send 429 without Retry-After: the backoff reaches a
// full window before giving up, so a 429 storm slows the sync down instead of failing it.
RetryPolicy defaultRetryPolicy()
{
    return RetryPolicy({8, 1000, 60000, 0.5});
}

bool retryable(const HttpReply &reply)
{
    return !reply.answered() || reply.status == 429 || reply.status >= 500;
}

// Any JSON value (Qt's parser wants an array or object at the top).
QJsonValue parseJson(const QByteArray &bytes, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + bytes + "]", &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *error = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(std::max(0, parseError.offset - 1))
            : QStringLiteral("more than one value");
        return QJsonValue::Undefined;
    }
    return doc.array().first();
}

QString snippet(const QByteArray &body)
{
    constexpr int kLength = 120;
    QString text = QString::fromUtf8(body.left(kLength * 4)).simplified();
    if (text.isEmpty())
        return QStringLiteral("(empty body)");
    if (text.size() > kLength)
        text = text.left(kLength) + QStringLiteral("…");
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

// messages[0] of Twenty's error envelope {statusCode, error, messages} (§5).
QString errorMessage(const QJsonValue &body)
{
    const QJsonObject object = body.toObject();
    const QJsonValue first = object.value(QStringLiteral("messages")).toArray().first();
    if (first.isString())
        return first.toString();
    if (object.value(QStringLiteral("message")).isString())
        return object.value(QStringLiteral("message")).toString();
    return QString();
}

ConnectorError::Kind kindFor(int status)
{
    if (status == 401 || status == 403)
        return ConnectorError::Kind::Authentication;
    if (status == 429 || status >= 500)
        return ConnectorError::Kind::Transient;
    if (status >= 400)
        return ConnectorError::Kind::Rejected;
    return ConnectorError::Kind::Internal;
}

} // namespace

TwentyClient::TwentyClient(const QUrl &baseUrl, const QString &apiKey, int requestsPerMinute)
    : m_baseUrl(baseUrl)
    , m_authorization(apiKey.isEmpty() ? QByteArray() : "Bearer " + apiKey.toUtf8())
    , m_requestsPerMinute(requestsPerMinute)
    , m_transport(Layer::Crm)
{
    m_transport.setRetryPolicy(defaultRetryPolicy());
    m_transport.setRateLimit(requestsPerMinute, 60000);
}

QUrl TwentyClient::urlFor(const QString &path, const QueryItems &query) const
{
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    // Encoded by hand: QUrlQuery leaves '+' alone, which a server reads as a space (§2.1).
    QByteArray encoded;
    for (const auto &[name, value] : query) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);
    return url;
}

TwentyReply TwentyClient::send(const QByteArray &method, const QString &path, const QueryItems &query,
                               const QJsonValue &body)
{
    if (!m_baseUrl.isValid() || (m_baseUrl.scheme() != QLatin1String("http") && m_baseUrl.scheme() != QLatin1String("https"))
        || m_baseUrl.host().isEmpty()) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Configuration,
                             QStringLiteral("[crm] url '%1' is not an http(s) URL of a Twenty server")
                                 .arg(m_baseUrl.toString()));
    }
    HttpCall httpCall;
    httpCall.method = method;
    httpCall.url = urlFor(path, query);
    httpCall.timeoutMs = m_timeoutMs;
    httpCall.headers.append(qMakePair(QByteArray("Accept"), QByteArray("application/json")));
    if (!m_authorization.isEmpty())
        httpCall.headers.append(qMakePair(QByteArray("Authorization"), m_authorization));
    if (body.isObject())
        httpCall.body = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        httpCall.body = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);

    const HttpReply http = m_transport.send(httpCall, retryable);
    TwentyReply reply;
    reply.request = QString::fromLatin1(method) + QLatin1Char(' ') + path;
    reply.status = http.status;
    if (!http.answered()) {
        throw ConnectorError(Layer::Crm,
                             http.timedOut ? ConnectorError::Kind::Transient : ConnectorError::Kind::Unreachable,
                             QStringLiteral("%1: no answer from %2 after %3 attempt(s): %4")
                                 .arg(reply.request, m_baseUrl.toString())
                                 .arg(http.attempts)
                                 .arg(http.networkError));
    }
    QString parseError;
    reply.body = parseJson(http.body, &parseError);
    if (reply.body.isUndefined()) {
        if (reply.ok()) {
            throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                                 QStringLiteral("%1: %2 answer is not JSON (%3): %4")
                                     .arg(reply.request)
                                     .arg(reply.status)
                                     .arg(parseError, snippet(http.body)));
        }
        reply.message = QStringLiteral("(not a Twenty error body) %1").arg(snippet(http.body));
    } else if (!reply.ok()) {
        reply.message = errorMessage(reply.body);
        if (reply.message.isEmpty())
            reply.message = QStringLiteral("(not a Twenty error body) %1").arg(snippet(http.body));
    }
    qCDebug(lcTwenty).noquote() << reply.request << reply.status << "after" << http.attempts << "attempt(s)";
    if (reply.status == 401) {
        throw error(reply, QStringLiteral("the API key was refused: invalid or expired (TF_TWENTY_API_KEY or the keychain)"));
    }
    if (reply.status == 403) {
        throw error(reply, m_authorization.isEmpty()
                               ? QStringLiteral("no API key was sent: set TF_TWENTY_API_KEY or store it in the keychain")
                               : QStringLiteral("the API key may not do this (a key bound to a role?)"));
    }
    if (reply.status == 429 || reply.status >= 500)
        throw error(reply, QStringLiteral("still failing after %1 attempt(s)").arg(http.attempts));
    return reply;
}

ConnectorError TwentyClient::error(const TwentyReply &reply, const QString &hint) const
{
    QString message = QStringLiteral("%1: %2 %3").arg(reply.request).arg(reply.status).arg(reply.message);
    if (!hint.isEmpty())
        message += QStringLiteral(" (%1)").arg(hint);
    return ConnectorError(Layer::Crm, kindFor(reply.status), message);
}

QJsonValue TwentyClient::data(const TwentyReply &reply, const QString &key) const
{
    const QJsonValue data = reply.body.toObject().value(QStringLiteral("data"));
    const QJsonValue value = key.isEmpty() ? data : data.toObject().value(key);
    if (!reply.body.isObject() || value.isUndefined()) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                             QStringLiteral("%1: %2 answer has no '%3'")
                                 .arg(reply.request)
                                 .arg(reply.status)
                                 .arg(key.isEmpty() ? QStringLiteral("data") : QStringLiteral("data.") + key));
    }
    return value;
}

QJsonValue TwentyClient::call(const QByteArray &method, const QString &path, const QueryItems &query,
                              const QJsonValue &body, const QString &key)
{
    const TwentyReply reply = send(method, path, query, body);
    if (!reply.ok())
        throw error(reply);
    return data(reply, key);
}

TwentyPage TwentyClient::page(const QString &path, const QString &key, const QueryItems &query, int limit,
                              const QString &cursor)
{
    QueryItems items = query;
    items.append({QStringLiteral("limit"), QString::number(limit)});
    if (!cursor.isEmpty())
        items.append({QStringLiteral("starting_after"), cursor});
    const TwentyReply reply = send("GET", path, items);
    if (!reply.ok())
        throw error(reply);
    // The metadata API's newer format sends the list as data itself (§4.2); the core API nests it under the key.
    const QJsonValue envelope = data(reply, QString());
    const QJsonValue records = envelope.isArray() ? envelope : data(reply, key);
    if (!records.isArray()) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                             QStringLiteral("%1: %2 answer's data%3 is not a list")
                                 .arg(reply.request)
                                 .arg(reply.status)
                                 .arg(key.isEmpty() ? QString() : QLatin1Char('.') + key));
    }
    const QJsonObject body = reply.body.toObject();
    // pageInfo is top level (§9 #2); some builds nest it in data.
    QJsonObject pageInfo = body.value(QStringLiteral("pageInfo")).toObject();
    if (pageInfo.isEmpty())
        pageInfo = body.value(QStringLiteral("data")).toObject().value(QStringLiteral("pageInfo")).toObject();
    TwentyPage page;
    page.records = records.toArray();
    page.endCursor = pageInfo.value(QStringLiteral("endCursor")).toString();
    page.hasNextPage = pageInfo.value(QStringLiteral("hasNextPage")).toBool();
    return page;
}

void TwentyClient::requireProgress(const QString &path, const QString &previous, const TwentyPage &next) const
{
    if (next.hasNextPage && (next.endCursor.isEmpty() || next.endCursor == previous)) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                             QStringLiteral("GET %1: paging does not advance: hasNextPage is true but endCursor is "
                                            "'%2' again; the server ignores starting_after (twenty-rest.md §9 #1)")
                                 .arg(path, next.endCursor));
    }
}

QJsonArray TwentyClient::all(const QString &path, const QString &key, const QueryItems &query, int pageSize)
{
    QJsonArray rows;
    QString cursor;
    for (;;) {
        const TwentyPage next = page(path, key, query, pageSize, cursor);
        for (const QJsonValue &row : next.records)
            rows.append(row);
        requireProgress(path, cursor, next);
        if (!next.hasNextPage)
            return rows;
        cursor = next.endCursor;
    }
}

} // namespace tf
