#include "bigquerytestclient.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

namespace tf::test {

QString BigQueryReply::errorMessage() const
{
    return json.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
}

QString BigQueryReply::errorReason() const
{
    return json.value(QStringLiteral("error")).toObject().value(QStringLiteral("errors")).toArray().first().toObject().value(QStringLiteral("reason")).toString();
}

QJsonArray BigQueryReply::rows() const
{
    QJsonArray rows;
    for (const QJsonValue &row : json.value(QStringLiteral("rows")).toArray()) {
        QJsonArray values;
        for (const QJsonValue &cell : row.toObject().value(QStringLiteral("f")).toArray())
            values.append(cell.toObject().value(QStringLiteral("v")));
        rows.append(values);
    }
    return rows;
}

QString BigQueryReply::jobId() const
{
    return json.value(QStringLiteral("jobReference")).toObject().value(QStringLiteral("jobId")).toString();
}

QString BigQueryReply::describe() const
{
    return QStringLiteral("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body.left(800)));
}

BigQueryTestClient::BigQueryTestClient(QUrl base, QString project)
    : m_base(std::move(base))
    , m_project(std::move(project))
{
}

BigQueryReply BigQueryTestClient::send(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    const QString full = m_prefix + QStringLiteral("/projects/") + m_project + QLatin1Char('/') + path;
    return sendRaw(method, full, body.isEmpty() && method != "POST" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
}

BigQueryReply BigQueryTestClient::sendRaw(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                                          const QByteArray &contentType)
{
    QNetworkRequest request(QUrl::fromEncoded(m_base.toString(QUrl::FullyEncoded).toLatin1() + pathAndQuery.toUtf8()));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!m_bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_bearer);
    request.setTransferTimeout(120000);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    BigQueryReply answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer.headers.insert(name.toLower(), value);
    answer.json = QJsonDocument::fromJson(answer.body).object();
    reply->deleteLater();
    return answer;
}

BigQueryReply BigQueryTestClient::query(const QString &sql, const QJsonObject &extra)
{
    QJsonObject body{{QStringLiteral("query"), sql}, {QStringLiteral("useLegacySql"), false}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return send("POST", QStringLiteral("queries"), body);
}

BigQueryReply BigQueryTestClient::run(const QString &sql, const QJsonObject &extra)
{
    const BigQueryReply reply = query(sql, extra);
    if (reply.status != 200 || !reply.json.value(QStringLiteral("jobComplete")).toBool())
        QTest::qFail(qPrintable(sql + QStringLiteral(" → ") + reply.describe()), __FILE__, __LINE__);
    return reply;
}

BigQueryReply BigQueryTestClient::results(const QString &jobId, const QString &queryString)
{
    return send("GET", QStringLiteral("queries/") + jobId + queryString);
}

BigQueryReply BigQueryTestClient::createDataset(const QString &dataset)
{
    return send("POST", QStringLiteral("datasets"),
                QJsonObject{{QStringLiteral("datasetReference"), QJsonObject{{QStringLiteral("datasetId"), dataset}}},
                            {QStringLiteral("location"), QStringLiteral("US")}});
}

BigQueryReply BigQueryTestClient::createTable(const QString &dataset, const QString &table, const QJsonArray &fields)
{
    return send("POST", QStringLiteral("datasets/%1/tables").arg(dataset),
                QJsonObject{{QStringLiteral("tableReference"),
                             QJsonObject{{QStringLiteral("projectId"), m_project}, {QStringLiteral("datasetId"), dataset},
                                         {QStringLiteral("tableId"), table}}},
                            {QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), fields}}}});
}

BigQueryReply BigQueryTestClient::insertAll(const QString &dataset, const QString &table, const QJsonArray &rows, const QJsonObject &options)
{
    QJsonObject body = options;
    body.insert(QStringLiteral("rows"), rows);
    return send("POST", QStringLiteral("datasets/%1/tables/%2/insertAll").arg(dataset, table), body);
}

QJsonObject BigQueryTestClient::parameter(const QString &name, const QJsonObject &type, const QJsonObject &value)
{
    QJsonObject parameter{{QStringLiteral("parameterType"), type}};
    if (!name.isEmpty())
        parameter.insert(QStringLiteral("name"), name);
    if (!value.isEmpty())
        parameter.insert(QStringLiteral("parameterValue"), value);
    return parameter;
}

QJsonObject BigQueryTestClient::namedParameters(const QJsonArray &parameters)
{
    return QJsonObject{{QStringLiteral("parameterMode"), QStringLiteral("NAMED")}, {QStringLiteral("queryParameters"), parameters}};
}

QByteArray BigQueryTestClient::specExample(const QString &fileName)
{
    QFile file(qEnvironmentVariable("TF_SOURCE_DIR") + QStringLiteral("/tests/emulators/bigquery/testdata/") + fileName);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject BigQueryTestClient::admin(const QByteArray &method, const QString &name, const QJsonObject &body)
{
    return sendRaw(method, QStringLiteral("/__emulator/") + name, method == "POST" ? QJsonDocument(body).toJson() : QByteArray()).json;
}

} // namespace tf::test
