#include "support/bigqueryjob.h"

#include "support/httpcall.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace tf::test {

namespace {

QString failure(const HttpAnswer &answer)
{
    return QStringLiteral("bigquery: %1 %2").arg(answer.status).arg(QString::fromUtf8(answer.body.left(400)));
}

} // namespace

QJsonObject stringParameter(const QString &name, const QString &value)
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("parameterType"), QJsonObject{{QStringLiteral("type"), QStringLiteral("STRING")}}},
        {QStringLiteral("parameterValue"), QJsonObject{{QStringLiteral("value"), value}}}};
}

QString bigQueryTable(const BigQuerySettings &settings)
{
    return QStringLiteral("`%1.%2.%3`").arg(settings.project, settings.dataset, settings.table);
}

BigQueryAnswer runBigQueryJob(const BigQuerySettings &settings, const QString &statement, const QJsonArray &parameters)
{
    BigQueryAnswer result;
    const QString base = settings.endpoint + QStringLiteral("/bigquery/v2/projects/%1/queries").arg(settings.project);
    const QJsonObject body{{QStringLiteral("query"), statement},
                           {QStringLiteral("useLegacySql"), false},
                           {QStringLiteral("parameterMode"), QStringLiteral("NAMED")},
                           {QStringLiteral("queryParameters"), parameters},
                           {QStringLiteral("location"), settings.location},
                           {QStringLiteral("timeoutMs"), 10000}};
    HttpAnswer answer = httpCall("POST", QUrl(base), QJsonDocument(body).toJson(), {}, 30000);
    QJsonObject page = QJsonDocument::fromJson(answer.body).object();
    const QString jobId
        = page.value(QStringLiteral("jobReference")).toObject().value(QStringLiteral("jobId")).toString();
    QString pageToken;
    for (int round = 0; round < 200; ++round) {
        if (answer.status != 200) {
            result.error = failure(answer);
            return result;
        }
        if (page.value(QStringLiteral("jobComplete")).toBool()) {
            if (page.contains(QStringLiteral("numDmlAffectedRows")))
                result.dmlAffected = page.value(QStringLiteral("numDmlAffectedRows")).toString().toLongLong();
            result.fields = page.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")).toArray();
            for (const QJsonValue &row : page.value(QStringLiteral("rows")).toArray())
                result.rows.append(row);
            pageToken = page.value(QStringLiteral("pageToken")).toString();
            if (pageToken.isEmpty())
                return result;
        }
        QUrl next(base + QLatin1Char('/') + jobId);
        QUrlQuery query{{QStringLiteral("location"), settings.location},
                        {QStringLiteral("timeoutMs"), QStringLiteral("10000")}};
        if (!pageToken.isEmpty())
            query.addQueryItem(QStringLiteral("pageToken"), pageToken);
        next.setQuery(query);
        answer = httpCall("GET", next, {}, {}, 30000);
        page = QJsonDocument::fromJson(answer.body).object();
    }
    result.error = QStringLiteral("bigquery: job %1 never completed").arg(jobId);
    return result;
}

} // namespace tf::test
