#include "support/layerreader.h"

#include "core/fieldregistry.h"
#include "support/bigqueryjob.h"
#include "support/httpcall.h"
#include "support/outsidesql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QUrlQuery>

namespace tf::test {

namespace {

// A cell as text: strings as they are, NULL as "", a REPEATED cell ([{"v": ...}], BigQuery) or a JSON array as its
// elements joined by ", ", anything else as compact JSON.
QString text(const QJsonValue &value)
{
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << text(item.isObject() && item.toObject().contains(QStringLiteral("v")) ? item[QStringLiteral("v")]
                                                                                           : item);
        return items.join(QStringLiteral(", "));
    }
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return value.toVariant().toString(); // NULL → ""
}

// A Twenty key path such as "jobTitle" or "name.firstName" read from a person.
QJsonValue twentyValue(const QJsonObject &person, const QString &path)
{
    QJsonValue value = person;
    for (const QString &key : path.split(QLatin1Char('.')))
        value = value.toObject().value(key);
    return value;
}

} // namespace

const QString LayerSnapshot::kNoRow = QStringLiteral("<no row>");

const LayerRow *LayerSnapshot::row(const QString &contactId) const
{
    for (const LayerRow &each : rows) {
        if (each.contactId == contactId)
            return &each;
    }
    return nullptr;
}

int LayerSnapshot::occurrences(const QString &contactId) const
{
    int count = 0;
    for (const LayerRow &each : rows)
        count += each.contactId == contactId;
    return count;
}

int LayerSnapshot::liveRows() const
{
    int count = 0;
    for (const LayerRow &each : rows)
        count += !each.deleted;
    return count;
}

QString LayerSnapshot::value(const QString &contactId, const QString &field) const
{
    const LayerRow *found = row(contactId);
    return found ? found->values.value(field) : kNoRow;
}

QStringList LayerSnapshot::repeatedIds() const
{
    QHash<QString, int> counts;
    QStringList repeated;
    for (const LayerRow &each : rows) {
        if (++counts[each.contactId] == 2)
            repeated << each.contactId;
    }
    return repeated;
}

QStringList LayerSnapshot::unknownIds(const QSet<QString> &known) const
{
    QStringList unknown;
    for (const LayerRow &each : rows) {
        if (!known.contains(each.contactId))
            unknown << (each.contactId.isEmpty() ? QStringLiteral("<no contact id>") : each.contactId);
    }
    return unknown;
}

LayerReader::LayerReader(const SyncConfig &config, QString postgresPassword, QByteArray twentyApiKey)
    : m_config(config)
    , m_postgresPassword(std::move(postgresPassword))
    , m_apiKey(std::move(twentyApiKey))
{
}

QMap<Layer, LayerSnapshot> LayerReader::readAll(const QStringList &fields) const
{
    QMap<Layer, LayerSnapshot> all;
    for (Layer layer : allLayers())
        all.insert(layer, read(layer, fields));
    return all;
}

LayerSnapshot LayerReader::read(Layer layer, const QStringList &fields) const
{
    switch (layer) {
    case Layer::Local:
    case Layer::Supabase:
        return readSql(layer, fields);
    case Layer::Crm:
        return readTwenty(fields);
    case Layer::BigQuery:
        return readBigQuery(fields);
    }
    return {};
}

LayerSnapshot LayerReader::readSql(Layer layer, const QStringList &fields) const
{
    LayerSnapshot snapshot;
    snapshot.layer = layer;
    OutsideSql connection(layer, m_config, m_postgresPassword);
    QStringList columns{QStringLiteral("contact_id"), QStringLiteral("deleted_at")};
    for (const QString &field : fields)
        columns << QStringLiteral("\"%1\"").arg(field);
    snapshot.error = connection.select(
        QStringLiteral("SELECT %1 FROM %2").arg(columns.join(QStringLiteral(", ")), connection.table()),
        [&](const QSqlQuery &query) {
            LayerRow row;
            row.contactId = query.value(0).toString();
            row.deleted = !query.value(1).isNull() && !query.value(1).toString().isEmpty();
            for (qsizetype i = 0; i < fields.size(); ++i)
                row.values.insert(fields.at(i), query.value(int(i) + 2).toString());
            snapshot.rows.append(row);
        });
    return snapshot;
}

LayerSnapshot LayerReader::readTwenty(const QStringList &fields) const
{
    LayerSnapshot snapshot;
    snapshot.layer = Layer::Crm;
    const QString idKey = FieldRegistry::field(QStringLiteral("contact_id")).twentyMapping().name;
    QString cursor;
    for (int page = 0; page < 10000; ++page) {
        QUrl url(m_config.crm->url + QStringLiteral("/rest/people"));
        QUrlQuery query;
        // Trashed people are hidden unless the filter names deletedAt (twenty-rest.md §2.1).
        query.addQueryItem(QStringLiteral("filter"), QStringLiteral("or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)"));
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("200"));
        if (!cursor.isEmpty())
            query.addQueryItem(QStringLiteral("starting_after"), cursor);
        url.setQuery(query);
        const HttpAnswer answer = httpCall("GET", url, {}, m_apiKey, 30000);
        if (answer.status != 200) {
            snapshot.error = QStringLiteral("crm: GET /rest/people: %1 %2")
                                 .arg(answer.status)
                                 .arg(QString::fromUtf8(answer.body.left(300)));
            return snapshot;
        }
        const QJsonObject body = QJsonDocument::fromJson(answer.body).object();
        const QJsonObject data = body.value(QStringLiteral("data")).toObject();
        for (const QJsonValue &value : data.value(QStringLiteral("people")).toArray()) {
            const QJsonObject person = value.toObject();
            LayerRow row;
            row.contactId = person.value(idKey).toString();
            row.deleted = !person.value(QStringLiteral("deletedAt")).isNull();
            for (const QString &field : fields)
                row.values.insert(field, text(twentyValue(person, FieldRegistry::field(field).twentyMapping().name)));
            snapshot.rows.append(row);
        }
        QJsonObject pageInfo = body.value(QStringLiteral("pageInfo")).toObject();
        if (pageInfo.isEmpty())
            pageInfo = data.value(QStringLiteral("pageInfo")).toObject();
        const QString next = pageInfo.value(QStringLiteral("endCursor")).toString();
        if (!pageInfo.value(QStringLiteral("hasNextPage")).toBool() || next.isEmpty() || next == cursor)
            return snapshot;
        cursor = next;
    }
    return snapshot;
}

LayerSnapshot LayerReader::readBigQuery(const QStringList &fields) const
{
    LayerSnapshot snapshot;
    snapshot.layer = Layer::BigQuery;
    QStringList columns{QStringLiteral("contact_id"), QStringLiteral("deleted_at")};
    columns << fields;
    const BigQueryAnswer answer = runBigQueryJob(
        *m_config.bigquery,
        QStringLiteral("SELECT %1 FROM %2").arg(columns.join(QStringLiteral(", ")), bigQueryTable(*m_config.bigquery)));
    snapshot.error = answer.error;
    for (const QJsonValue &value : answer.rows) {
        const QJsonArray cells = value.toObject().value(QStringLiteral("f")).toArray();
        LayerRow row;
        row.contactId = cells.at(0).toObject().value(QStringLiteral("v")).toString();
        row.deleted = !cells.at(1).toObject().value(QStringLiteral("v")).isNull();
        for (qsizetype i = 0; i < fields.size(); ++i)
            row.values.insert(fields.at(i), text(cells.at(i + 2).toObject().value(QStringLiteral("v"))));
        snapshot.rows.append(row);
    }
    return snapshot;
}

} // namespace tf::test
