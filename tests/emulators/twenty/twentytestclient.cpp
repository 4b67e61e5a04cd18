#include "twentytestclient.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

namespace tf::test {

QString TwentyReply::message() const
{
    return object().value(QStringLiteral("messages")).toArray().first().toString();
}

QString TwentyReply::describe() const
{
    return QStringLiteral("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body.left(600)));
}

TwentyTestClient::TwentyTestClient(QUrl base, QByteArray apiKey)
    : m_base(std::move(base))
    , m_apiKey(std::move(apiKey))
{
}

QString TwentyTestClient::query(const QList<QPair<QString, QString>> &items)
{
    QStringList parts;
    for (const auto &[key, value] : items)
        parts.append(key + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return QLatin1Char('?') + parts.join(QLatin1Char('&'));
}

TwentyReply TwentyTestClient::send(const QByteArray &method, const QString &pathAndQuery, const QJsonValue &body)
{
    QByteArray bytes;
    if (body.isObject())
        bytes = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        bytes = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    return sendRaw(method, pathAndQuery, bytes);
}

TwentyReply TwentyTestClient::sendRaw(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body)
{
    QNetworkRequest request(QUrl::fromEncoded(m_base.toString(QUrl::FullyEncoded).toLatin1() + pathAndQuery.toUtf8()));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_apiKey);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    TwentyReply answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer.headers.insert(name.toLower(), value);
    const QJsonDocument json = QJsonDocument::fromJson(answer.body);
    answer.json = json.isObject() ? QJsonValue(json.object()) : (json.isArray() ? QJsonValue(json.array()) : QJsonValue());
    if (answer.body == "true")
        answer.json = true;
    reply->deleteLater();
    return answer;
}

QByteArray TwentyTestClient::specExample(const QString &fileName)
{
    QFile file(qEnvironmentVariable("TF_SOURCE_DIR") + QStringLiteral("/tests/emulators/twenty/testdata/") + fileName);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonValue TwentyTestClient::admin(const QByteArray &method, const QString &name, const QJsonObject &body)
{
    return send(method, QStringLiteral("/__emulator/") + name, body.isEmpty() ? QJsonValue() : QJsonValue(body)).json;
}

} // namespace tf::test
