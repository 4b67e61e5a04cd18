#include "support/outsideeditor.h"

#include "support/bigqueryjob.h"
#include "support/httpcall.h"
#include "support/outsidesql.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace tf::test {

namespace {

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

// "expected 1 row" unless any count will do (-1).
QString unexpectedCount(int expected, int changed, const QString &statement)
{
    if (expected < 0 || changed == expected)
        return {};
    return QStringLiteral("%1 rows changed (expected %2) by: %3").arg(changed).arg(expected).arg(statement);
}

// Postgres text[] literal: {"a","b"} with quotes and backslashes escaped.
QString postgresArray(const QStringList &values)
{
    QStringList quoted;
    for (QString value : values)
        quoted << QLatin1Char('"')
                + value.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
                      .replace(QLatin1Char('"'), QLatin1String("\\\""))
                + QLatin1Char('"');
    return QLatin1Char('{') + quoted.join(QLatin1Char(',')) + QLatin1Char('}');
}

} // namespace

OutsideEditor::OutsideEditor(const SyncConfig &config, QString postgresPassword, QByteArray twentyApiKey)
    : m_config(config)
    , m_postgresPassword(std::move(postgresPassword))
    , m_apiKey(std::move(twentyApiKey))
{
}

QString OutsideEditor::sql(Layer layer, const QString &statement, const QVariantList &bindings, int expectedRows,
                           int *changed)
{
    OutsideSql connection(layer, m_config, m_postgresPassword);
    int rows = 0;
    const QString error = connection.exec(statement.arg(connection.table()), bindings, &rows);
    if (changed)
        *changed = rows;
    return error.isEmpty() ? unexpectedCount(expectedRows, rows, statement) : error;
}

QString OutsideEditor::twentyRequest(const QString &contactId, TwentyAction action, const QJsonObject &body)
{
    QUrl find(m_config.crm->url + QStringLiteral("/rest/people"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("filter"), QStringLiteral("tfContactId[eq]:\"%1\"").arg(contactId));
    find.setQuery(query);
    const HttpAnswer found = httpCall("GET", find, {}, m_apiKey);
    const QJsonArray people = QJsonDocument::fromJson(found.body)
                                  .object()
                                  .value(QStringLiteral("data"))
                                  .toObject()
                                  .value(QStringLiteral("people"))
                                  .toArray();
    if (found.status != 200 || people.isEmpty())
        return QStringLiteral("crm: person with tfContactId %1 not found (%2 %3)")
            .arg(contactId)
            .arg(found.status)
            .arg(QString::fromUtf8(found.body.left(300)));
    const QString id = people.first().toObject().value(QStringLiteral("id")).toString();
    const bool patch = action == TwentyAction::Patch;
    const QUrl url(m_config.crm->url + QStringLiteral("/rest/people/") + id
                   + (action == TwentyAction::SoftDelete ? QStringLiteral("?soft_delete=true") : QString()));
    const HttpAnswer answer
        = httpCall(patch ? "PATCH" : "DELETE", url, patch ? QJsonDocument(body).toJson() : QByteArray(), m_apiKey);
    return answer.status == 200
        ? QString()
        : QStringLiteral("crm: %1 %2").arg(answer.status).arg(QString::fromUtf8(answer.body.left(300)));
}

QString OutsideEditor::bigqueryDml(const QString &statement, const QJsonArray &parameters, int expectedRows,
                                   int *changed)
{
    const QString sql = statement.arg(bigQueryTable(*m_config.bigquery));
    const BigQueryAnswer answer = runBigQueryJob(*m_config.bigquery, sql, parameters);
    if (changed)
        *changed = int(answer.dmlAffected);
    return answer.error.isEmpty() ? unexpectedCount(expectedRows, int(answer.dmlAffected), sql) : answer.error;
}

QString OutsideEditor::setText(Layer layer, const QString &contactId, const QString &column, const QString &value)
{
    switch (layer) {
    case Layer::Local:
    case Layer::Supabase:
        return sql(layer,
                   QStringLiteral("UPDATE %1 SET \"%2\" = ? WHERE contact_id = ?").arg(QStringLiteral("%1"), column),
                   {value, contactId});
    case Layer::Crm:
        return twentyRequest(contactId, TwentyAction::Patch, twentyBody(column, value));
    case Layer::BigQuery:
        return bigqueryDml(
            QStringLiteral("UPDATE %1 SET %2 = @v, updated_at = CURRENT_TIMESTAMP() WHERE contact_id = @id")
                .arg(QStringLiteral("%1"), column),
            {stringParameter(QStringLiteral("v"), value), stringParameter(QStringLiteral("id"), contactId)});
    }
    return QStringLiteral("unknown layer");
}

QString OutsideEditor::softDelete(Layer layer, const QString &contactId)
{
    switch (layer) {
    case Layer::Local:
        return sql(
            layer, QStringLiteral("UPDATE %1 SET deleted_at = ? WHERE contact_id = ?"),
            {QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000Z")), contactId});
    case Layer::Supabase:
        return sql(layer, QStringLiteral("UPDATE %1 SET deleted_at = now() WHERE contact_id = ?"), {contactId});
    case Layer::Crm:
        return twentyRequest(contactId, TwentyAction::SoftDelete);
    case Layer::BigQuery:
        return bigqueryDml(QStringLiteral("UPDATE %1 SET deleted_at = CURRENT_TIMESTAMP(), updated_at = "
                                          "CURRENT_TIMESTAMP() WHERE contact_id = @id"),
                           {stringParameter(QStringLiteral("id"), contactId)});
    }
    return QStringLiteral("unknown layer");
}

QString OutsideEditor::destroyInTwenty(const QString &contactId)
{
    return twentyRequest(contactId, TwentyAction::Destroy);
}

QString OutsideEditor::insertContact(Layer layer, const QString &contactId, const QMap<QString, QString> &texts,
                                     const QStringList &emails)
{
    if (layer != Layer::Local && layer != Layer::Supabase)
        return QStringLiteral("insertContact: %1 is not a SQL layer").arg(layerName(layer));
    QStringList columns{QStringLiteral("contact_id"), QStringLiteral("emails")};
    QStringList placeholders{QStringLiteral("?"),
                             layer == Layer::Supabase ? QStringLiteral("?::text[]") : QStringLiteral("?")};
    QVariantList bindings{
        contactId,
        layer == Layer::Supabase
            ? postgresArray(emails)
            : QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(emails)).toJson(QJsonDocument::Compact))};
    for (auto it = texts.cbegin(); it != texts.cend(); ++it) {
        columns << QStringLiteral("\"%1\"").arg(it.key());
        placeholders << QStringLiteral("?");
        bindings << it.value();
    }
    return sql(
        layer,
        QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
            .arg(QStringLiteral("%1"), columns.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", "))),
        bindings);
}

QString OutsideEditor::setTextForAll(Layer layer, const QString &column, const QString &prefix, int *changed)
{
    switch (layer) {
    case Layer::Local:
    case Layer::Supabase:
        return sql(layer,
                   QStringLiteral("UPDATE %1 SET \"%2\" = ? || contact_id WHERE deleted_at IS NULL")
                       .arg(QStringLiteral("%1"), column),
                   {prefix}, -1, changed);
    case Layer::BigQuery:
        return bigqueryDml(QStringLiteral("UPDATE %1 SET %2 = CONCAT(@p, contact_id), updated_at = CURRENT_TIMESTAMP() "
                                          "WHERE deleted_at IS NULL")
                               .arg(QStringLiteral("%1"), column),
                           {stringParameter(QStringLiteral("p"), prefix)}, -1, changed);
    case Layer::Crm:
        break;
    }
    return QStringLiteral("setTextForAll: not offered for %1").arg(layerName(layer));
}

} // namespace tf::test
