#include "support/outsideeditor.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

namespace tf::test {

namespace {

struct HttpAnswer {
    int status = 0;
    QByteArray body;
};

HttpAnswer http(const QByteArray &method, const QUrl &url, const QByteArray &apiKey, const QByteArray &body = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + apiKey);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return answer;
}

// Contract field → Twenty key (registry: custom fields by name, standard jobTitle, name.firstName, ...).
QJsonObject twentyBody(const QString &column, const QJsonValue &value)
{
    const TwentyMapping mapping = FieldRegistry::field(column).twentyMapping();
    if (mapping.name.contains(QLatin1Char('.'))) {
        const QString composite = mapping.name.section(QLatin1Char('.'), 0, 0);
        return QJsonObject{{composite, QJsonObject{{mapping.name.section(QLatin1Char('.'), 1), value}}}};
    }
    return QJsonObject{{mapping.name, value}};
}

} // namespace

OutsideEditor::OutsideEditor(const SyncConfig &config, QString postgresPassword, QByteArray twentyApiKey)
    : m_config(config)
    , m_postgresPassword(std::move(postgresPassword))
    , m_apiKey(std::move(twentyApiKey))
{
}

QString OutsideEditor::sql(Layer layer, const QString &statement, const QVariantList &bindings)
{
    const QString name = QStringLiteral("tf-outside-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString error;
    {
        QSqlDatabase db;
        if (layer == Layer::Local) {
            db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_config.local->path);
        } else {
            db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            // The DSN is libpq's key=value form; QPSQL takes the same keys as connect options.
            for (const QString &pair : m_config.supabase->dsn.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                const QString key = pair.section(QLatin1Char('='), 0, 0);
                const QString value = pair.section(QLatin1Char('='), 1);
                if (key == QLatin1String("host"))
                    db.setHostName(value);
                else if (key == QLatin1String("port"))
                    db.setPort(value.toInt());
                else if (key == QLatin1String("dbname"))
                    db.setDatabaseName(value);
                else if (key == QLatin1String("user"))
                    db.setUserName(value);
            }
            db.setPassword(m_postgresPassword);
        }
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            query.prepare(statement);
            for (const QVariant &binding : bindings)
                query.addBindValue(binding);
            if (!query.exec())
                error = query.lastError().text();
            else if (query.numRowsAffected() != 1)
                error = QStringLiteral("%1 rows changed by: %2").arg(query.numRowsAffected()).arg(statement);
        }
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

QString OutsideEditor::twentyRequest(const QString &contactId, TwentyAction action, const QJsonObject &body)
{
    QUrl find(m_config.crm->url + QStringLiteral("/rest/people"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("filter"), QStringLiteral("tfContactId[eq]:\"%1\"").arg(contactId));
    find.setQuery(query);
    const HttpAnswer found = http("GET", find, m_apiKey);
    const QJsonArray people = QJsonDocument::fromJson(found.body).object().value(QStringLiteral("data")).toObject().value(QStringLiteral("people")).toArray();
    if (found.status != 200 || people.isEmpty())
        return QStringLiteral("crm: person with tfContactId %1 not found (%2 %3)").arg(contactId).arg(found.status).arg(QString::fromUtf8(found.body.left(300)));
    const QString id = people.first().toObject().value(QStringLiteral("id")).toString();
    const bool patch = action == TwentyAction::Patch;
    const QUrl url(m_config.crm->url + QStringLiteral("/rest/people/") + id
                   + (action == TwentyAction::SoftDelete ? QStringLiteral("?soft_delete=true") : QString()));
    const HttpAnswer answer = http(patch ? "PATCH" : "DELETE", url, m_apiKey, patch ? QJsonDocument(body).toJson() : QByteArray());
    return answer.status == 200 ? QString() : QStringLiteral("crm: %1 %2").arg(answer.status).arg(QString::fromUtf8(answer.body.left(300)));
}

QString OutsideEditor::bigqueryDml(const QString &statement, const QJsonArray &parameters)
{
    const BigQuerySettings &bq = *m_config.bigquery;
    const QUrl url(bq.endpoint + QStringLiteral("/bigquery/v2/projects/%1/queries").arg(bq.project));
    const QJsonObject body{{QStringLiteral("query"), statement}, {QStringLiteral("useLegacySql"), false},
                           {QStringLiteral("parameterMode"), QStringLiteral("NAMED")}, {QStringLiteral("queryParameters"), parameters},
                           {QStringLiteral("location"), bq.location}};
    const HttpAnswer answer = http("POST", url, {}, QJsonDocument(body).toJson());
    const QJsonObject reply = QJsonDocument::fromJson(answer.body).object();
    if (answer.status != 200)
        return QStringLiteral("bigquery: %1 %2").arg(answer.status).arg(QString::fromUtf8(answer.body.left(300)));
    return reply.value(QStringLiteral("numDmlAffectedRows")).toString() == QLatin1String("1")
        ? QString()
        : QStringLiteral("bigquery: DML changed %1 rows").arg(reply.value(QStringLiteral("numDmlAffectedRows")).toString());
}

QString OutsideEditor::setText(Layer layer, const QString &contactId, const QString &column, const QString &value)
{
    switch (layer) {
    case Layer::Local:
        return sql(layer, QStringLiteral("UPDATE contacts SET \"%1\" = ? WHERE contact_id = ?").arg(column), {value, contactId});
    case Layer::Supabase:
        return sql(layer, QStringLiteral("UPDATE \"%1\".\"%2\" SET \"%3\" = ? WHERE contact_id = ?")
                              .arg(m_config.supabase->schema, m_config.supabase->table, column),
                   {value, contactId});
    case Layer::Crm:
        return twentyRequest(contactId, TwentyAction::Patch, twentyBody(column, value));
    case Layer::BigQuery: {
        const BigQuerySettings &bq = *m_config.bigquery;
        const auto param = [](const char *name, const QString &v) {
            return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)},
                               {QStringLiteral("parameterType"), QJsonObject{{QStringLiteral("type"), QStringLiteral("STRING")}}},
                               {QStringLiteral("parameterValue"), QJsonObject{{QStringLiteral("value"), v}}}};
        };
        return bigqueryDml(QStringLiteral("UPDATE `%1.%2.%3` SET %4 = @v, updated_at = CURRENT_TIMESTAMP() WHERE contact_id = @id")
                               .arg(bq.project, bq.dataset, bq.table, column),
                           {param("v", value), param("id", contactId)});
    }
    }
    return QStringLiteral("unknown layer");
}

QString OutsideEditor::softDelete(Layer layer, const QString &contactId)
{
    switch (layer) {
    case Layer::Local:
        return sql(layer, QStringLiteral("UPDATE contacts SET deleted_at = ? WHERE contact_id = ?"),
                   {QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000Z")), contactId});
    case Layer::Supabase:
        return sql(layer, QStringLiteral("UPDATE \"%1\".\"%2\" SET deleted_at = now() WHERE contact_id = ?")
                              .arg(m_config.supabase->schema, m_config.supabase->table),
                   {contactId});
    case Layer::Crm:
        return twentyRequest(contactId, TwentyAction::SoftDelete);
    case Layer::BigQuery: {
        const BigQuerySettings &bq = *m_config.bigquery;
        return bigqueryDml(QStringLiteral("UPDATE `%1.%2.%3` SET deleted_at = CURRENT_TIMESTAMP(), updated_at = CURRENT_TIMESTAMP() WHERE contact_id = @id")
                               .arg(bq.project, bq.dataset, bq.table),
                           {QJsonObject{{QStringLiteral("name"), QStringLiteral("id")},
                                        {QStringLiteral("parameterType"), QJsonObject{{QStringLiteral("type"), QStringLiteral("STRING")}}},
                                        {QStringLiteral("parameterValue"), QJsonObject{{QStringLiteral("value"), contactId}}}}});
    }
    }
    return QStringLiteral("unknown layer");
}

QString OutsideEditor::destroyInTwenty(const QString &contactId)
{
    return twentyRequest(contactId, TwentyAction::Destroy);
}

} // namespace tf::test
