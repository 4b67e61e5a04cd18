#include "bigquery/tabledataapi.h"

#include "bigquery/cellencoder.h"
#include "bigquery/googleerror.h"
#include "bigquery/jobsapi.h"
#include "bigquery/pagetoken.h"
#include "bigquery/rowdecoder.h"
#include "bigquery/rowpager.h"
#include "bigquery/sqlitedatabase.h"
#include "bigquery/valuecaster.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace tf::emu {

namespace {

constexpr qint64 kMaxPageRows = 100000; // tabledata.list returns at most 100,000 rows per response (§3.2)
// SQLite looks each numbered placeholder up in a list, so a statement with n of them costs n²: keep n small.
constexpr qsizetype kValuesPerInsert = 1000;

QJsonObject rowError(qsizetype index, const QString &reason, const QString &location, const QString &message)
{
    return QJsonObject{{QStringLiteral("index"), int(index)},
                       {QStringLiteral("errors"),
                        QJsonArray{QJsonObject{{QStringLiteral("reason"), reason},
                                               {QStringLiteral("location"), location},
                                               {QStringLiteral("debugInfo"), QString()},
                                               {QStringLiteral("message"), message}}}}};
}

} // namespace

TableDataApi::TableDataApi(SqliteDatabase &database, Catalog &catalog, StreamingBuffer &buffer)
    : m_database(database)
    , m_catalog(catalog)
    , m_buffer(buffer)
{
}

TableInfo TableDataApi::lookup(const QString &project, const QString &dataset, const QString &table) const
{
    const std::optional<TableInfo> info = m_catalog.table(project, dataset, table);
    if (!info)
        throw GoogleError::notFound(QStringLiteral("Not found: Table %1:%2.%3").arg(project, dataset, table));
    return *info;
}

HttpResponse TableDataApi::insertAll(const HttpRequest &request, const QString &project, const QString &dataset, const QString &table)
{
    if (request.body.size() > kMaxRequestBytes)
        throw GoogleError::badRequest(QStringLiteral("Request payload size exceeds the limit: %1 bytes.").arg(kMaxRequestBytes));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (!document.isObject()) {
        throw GoogleError(400, QStringLiteral("parseError"),
                          QStringLiteral("Invalid JSON payload received. %1 at offset %2.").arg(parseError.errorString()).arg(parseError.offset));
    }
    const QJsonObject body = document.object();
    const TableInfo info = lookup(project, dataset, table);
    const QJsonArray rows = body.value(QStringLiteral("rows")).toArray();
    if (rows.isEmpty())
        throw GoogleError::invalid(QStringLiteral("No rows present in the request."));
    if (rows.size() > kMaxRows) {
        throw GoogleError::invalid(
            QStringLiteral("Too many rows present in the request, limit: %1 row count: %2.").arg(kMaxRows).arg(rows.size()));
    }
    const bool skipInvalid = body.value(QStringLiteral("skipInvalidRows")).toBool();
    const bool ignoreUnknown = body.value(QStringLiteral("ignoreUnknownValues")).toBool();
    const qint64 now = JobsApi::nowMs();

    QJsonArray insertErrors;
    QList<qsizetype> valid;
    QList<QVariantList> values;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject row = rows.at(i).toObject();
        QList<RowDecoder::FieldError> errors;
        const QVariantList decoded = RowDecoder::decode(row.value(QStringLiteral("json")).toObject(), info.schema, ignoreUnknown, &errors);
        if (row.value(QStringLiteral("insertId")).toString().size() > 128)
            errors.append(RowDecoder::FieldError{QString(), QStringLiteral("insertId is longer than 128 characters.")});
        if (errors.isEmpty()) {
            valid.append(i);
            values.append(decoded);
            continue;
        }
        QJsonArray list;
        for (const RowDecoder::FieldError &error : errors) {
            list.append(QJsonObject{{QStringLiteral("reason"), QStringLiteral("invalid")},
                                    {QStringLiteral("location"), error.location},
                                    {QStringLiteral("debugInfo"), QString()},
                                    {QStringLiteral("message"), error.message}});
        }
        insertErrors.append(QJsonObject{{QStringLiteral("index"), int(i)}, {QStringLiteral("errors"), list}});
    }
    QJsonObject response{{QStringLiteral("kind"), QStringLiteral("bigquery#tableDataInsertAllResponse")}};
    if (!insertErrors.isEmpty() && !skipInvalid) {
        // Without skipInvalidRows one bad row fails the request: the others are reported as stopped (§2.1).
        for (qsizetype i : valid)
            insertErrors.append(rowError(i, QStringLiteral("stopped"), QString(), QString()));
        response.insert(QStringLiteral("insertErrors"), insertErrors);
        return HttpResponse::json(200, response);
    }

    QStringList columns;
    for (const FieldSchema &field : info.schema)
        columns.append(Catalog::columnName(field.name));
    SqliteDatabase::Transaction transaction(m_database);
    qint64 inserted = 0;
    qint64 bytes = 0;
    QStringList pending;
    QVariantList bound;
    const auto flush = [&] {
        if (pending.isEmpty())
            return;
        m_database.run(QStringLiteral("INSERT INTO %1 (%2) VALUES %3")
                           .arg(Catalog::columnName(info.storageName), columns.join(QStringLiteral(", ")), pending.join(QStringLiteral(", "))),
                       bound);
        pending.clear();
        bound.clear();
    };
    for (qsizetype n = 0; n < valid.size(); ++n) {
        const QJsonObject row = rows.at(valid.at(n)).toObject();
        const QString insertId = row.value(QStringLiteral("insertId")).toString();
        if (!insertId.isEmpty()) {
            if (m_buffer.seen(info.id(), insertId, now))
                continue; // best-effort de-duplication (§2.1)
            m_buffer.remember(info.id(), insertId, now);
        }
        QStringList placeholders;
        for (const QVariant &value : values.at(n)) {
            placeholders.append(QStringLiteral("?%1").arg(bound.size() + 1));
            bound.append(value);
        }
        pending.append(QLatin1Char('(') + placeholders.join(QStringLiteral(", ")) + QLatin1Char(')'));
        bytes += QJsonDocument(row.value(QStringLiteral("json")).toObject()).toJson(QJsonDocument::Compact).size();
        ++inserted;
        if (bound.size() + columns.size() > kValuesPerInsert)
            flush();
    }
    flush();
    if (inserted > 0) {
        m_catalog.touch(info, now);
        m_buffer.record(info.id(), now, inserted, bytes);
    }
    transaction.commit();
    if (!insertErrors.isEmpty())
        response.insert(QStringLiteral("insertErrors"), insertErrors);
    return HttpResponse::json(200, response);
}

HttpResponse TableDataApi::list(const HttpRequest &request, const QString &project, const QString &dataset, const QString &table)
{
    const TableInfo info = lookup(project, dataset, table);
    QList<FieldSchema> schema = info.schema;
    const QString selected = request.queryValue(QStringLiteral("selectedFields"));
    if (!selected.isEmpty()) {
        schema.clear();
        for (const QString &name : selected.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const qsizetype index = FieldSchema::indexOf(info.schema, name.trimmed());
            if (name.contains(QLatin1Char('.')))
                throw GoogleError::invalid(QStringLiteral("tf-bigquery-emulator supports selectedFields of top-level columns only: %1").arg(name));
            if (index < 0)
                throw GoogleError::invalid(QStringLiteral("Invalid field selection %1").arg(name));
            schema.append(info.schema.at(index));
        }
    }
    const qint64 total = m_catalog.rowCount(info);
    const auto number = [&](const QString &key) -> std::optional<qint64> {
        if (!request.query.hasQueryItem(key))
            return std::nullopt;
        bool ok = false;
        const qint64 value = request.queryValue(key).toLongLong(&ok);
        if (!ok || value < 0)
            throw GoogleError::invalid(QStringLiteral("Invalid value for %1: %2").arg(key, request.queryValue(key)));
        return value;
    };
    const QString owner = info.id() + QLatin1Char('@') + QString::number(info.creationTime);
    qint64 offset = number(QStringLiteral("startIndex")).value_or(0);
    const QString pageToken = request.queryValue(QStringLiteral("pageToken"));
    if (!pageToken.isEmpty()) {
        const std::optional<qint64> decoded = PageToken::decode(pageToken, owner);
        if (!decoded)
            throw GoogleError::invalid(QStringLiteral("Invalid page token: %1").arg(pageToken));
        offset = *decoded;
    }
    const qint64 maxResults = std::min(number(QStringLiteral("maxResults")).value_or(kMaxPageRows), kMaxPageRows);

    QStringList columns;
    for (const FieldSchema &field : schema)
        columns.append(Catalog::columnName(field.name));
    QList<QVariantList> rows;
    if (!columns.isEmpty() && maxResults > 0) {
        rows = m_database
                   .run(QStringLiteral("SELECT %1 FROM %2 ORDER BY rowid LIMIT ?1 OFFSET ?2")
                            .arg(columns.join(QStringLiteral(", ")), Catalog::columnName(info.storageName)),
                        {maxResults, offset})
                   .rows;
    }
    for (QVariantList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            row[i] = ValueCaster::normalized(row.at(i), schema.at(i).valueType());
    }
    const RowPager::Page page = RowPager::encode(rows, 0, rows.size(), schema, CellEncoder::fromQuery(request));
    QJsonObject response{{QStringLiteral("kind"), QStringLiteral("bigquery#tableDataList")},
                         {QStringLiteral("etag"), QString::fromLatin1(QCryptographicHash::hash((owner + QString::number(info.lastModifiedTime)).toUtf8(),
                                                                                               QCryptographicHash::Md5)
                                                                          .toBase64())},
                         {QStringLiteral("totalRows"), QString::number(total)}};
    if (!page.rows.isEmpty())
        response.insert(QStringLiteral("rows"), page.rows);
    if (offset + page.emitted < total && page.emitted > 0)
        response.insert(QStringLiteral("pageToken"), PageToken::encode(owner, offset + page.emitted));
    return HttpResponse::json(200, response);
}

} // namespace tf::emu
