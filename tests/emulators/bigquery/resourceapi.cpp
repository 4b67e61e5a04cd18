#include "bigquery/resourceapi.h"

#include "bigquery/googleerror.h"
#include "bigquery/jobsapi.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace tf::emu {

namespace {

QJsonObject bodyOf(const HttpRequest &request)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (!document.isObject()) {
        throw GoogleError(400, QStringLiteral("parseError"),
                          QStringLiteral("Invalid JSON payload received. %1 at offset %2.").arg(error.errorString()).arg(error.offset));
    }
    return document.object();
}

QString etag(const QString &id, qint64 modified)
{
    return QString::fromLatin1(QCryptographicHash::hash((id + QString::number(modified)).toUtf8(), QCryptographicHash::Md5).toBase64());
}

QString selfLink(const HttpRequest &request, const QString &path)
{
    return QStringLiteral("http://%1/bigquery/v2/%2").arg(QString::fromLatin1(request.header("host")), path);
}

} // namespace

ResourceApi::ResourceApi(Catalog &catalog, StreamingBuffer &buffer)
    : m_catalog(catalog)
    , m_buffer(buffer)
{
}

QJsonObject ResourceApi::datasetResource(const DatasetInfo &dataset, const HttpRequest &request) const
{
    QJsonObject resource{{QStringLiteral("kind"), QStringLiteral("bigquery#dataset")},
                         {QStringLiteral("etag"), etag(dataset.id(), dataset.lastModifiedTime)},
                         {QStringLiteral("id"), dataset.id()},
                         {QStringLiteral("selfLink"), selfLink(request, QStringLiteral("projects/%1/datasets/%2").arg(dataset.project, dataset.dataset))},
                         {QStringLiteral("datasetReference"),
                          QJsonObject{{QStringLiteral("datasetId"), dataset.dataset}, {QStringLiteral("projectId"), dataset.project}}},
                         {QStringLiteral("access"), QJsonArray()},
                         {QStringLiteral("creationTime"), QString::number(dataset.creationTime)},
                         {QStringLiteral("lastModifiedTime"), QString::number(dataset.lastModifiedTime)},
                         {QStringLiteral("location"), dataset.location},
                         {QStringLiteral("type"), QStringLiteral("DEFAULT")}};
    if (!dataset.description.isEmpty())
        resource.insert(QStringLiteral("description"), dataset.description);
    return resource;
}

QJsonObject ResourceApi::tableResource(const TableInfo &table, const HttpRequest &request) const
{
    QJsonObject resource{
        {QStringLiteral("kind"), QStringLiteral("bigquery#table")},
        {QStringLiteral("etag"), etag(table.id(), table.lastModifiedTime)},
        {QStringLiteral("id"), table.id()},
        {QStringLiteral("selfLink"),
         selfLink(request, QStringLiteral("projects/%1/datasets/%2/tables/%3").arg(table.project, table.dataset, table.table))},
        {QStringLiteral("tableReference"),
         QJsonObject{{QStringLiteral("projectId"), table.project}, {QStringLiteral("datasetId"), table.dataset}, {QStringLiteral("tableId"), table.table}}},
        {QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), FieldSchema::listToJson(table.schema)}}},
        {QStringLiteral("numBytes"), QString::number(m_catalog.byteCount(table))},
        {QStringLiteral("numLongTermBytes"), QStringLiteral("0")},
        {QStringLiteral("numRows"), QString::number(m_catalog.rowCount(table))},
        {QStringLiteral("creationTime"), QString::number(table.creationTime)},
        {QStringLiteral("lastModifiedTime"), QString::number(table.lastModifiedTime)},
        {QStringLiteral("type"), QStringLiteral("TABLE")},
        {QStringLiteral("location"), table.location}};
    if (!table.description.isEmpty())
        resource.insert(QStringLiteral("description"), table.description);
    if (const std::optional<StreamingBuffer::State> buffer = m_buffer.state(table.id(), JobsApi::nowMs())) {
        resource.insert(QStringLiteral("streamingBuffer"),
                        QJsonObject{{QStringLiteral("estimatedRows"), QString::number(buffer->estimatedRows)},
                                    {QStringLiteral("estimatedBytes"), QString::number(buffer->estimatedBytes)},
                                    {QStringLiteral("oldestEntryTime"), QString::number(buffer->oldestEntryTime)}});
    }
    return resource;
}

HttpResponse ResourceApi::insertDataset(const HttpRequest &request, const QString &project)
{
    const QJsonObject body = bodyOf(request);
    const QJsonObject reference = body.value(QStringLiteral("datasetReference")).toObject();
    DatasetInfo dataset;
    dataset.project = reference.value(QStringLiteral("projectId")).toString(project);
    dataset.dataset = reference.value(QStringLiteral("datasetId")).toString();
    static const QRegularExpression validId(QStringLiteral("^[A-Za-z0-9_]{1,1024}$"));
    if (dataset.dataset.isEmpty())
        throw GoogleError::invalid(QStringLiteral("Required parameter is missing: datasetReference.datasetId"));
    if (!validId.match(dataset.dataset).hasMatch()) {
        throw GoogleError::invalid(QStringLiteral("Invalid dataset ID \"%1\". Dataset IDs must be alphanumeric (plus underscores) and must "
                                                  "be at most 1024 characters long.").arg(dataset.dataset));
    }
    dataset.location = body.value(QStringLiteral("location")).toString(QStringLiteral("US"));
    dataset.description = body.value(QStringLiteral("description")).toString();
    dataset.creationTime = dataset.lastModifiedTime = JobsApi::nowMs();
    return HttpResponse::json(200, datasetResource(m_catalog.createDataset(dataset), request));
}

HttpResponse ResourceApi::getDataset(const HttpRequest &request, const QString &project, const QString &dataset)
{
    const std::optional<DatasetInfo> info = m_catalog.dataset(project, dataset);
    if (!info)
        throw GoogleError::notFound(QStringLiteral("Not found: Dataset %1:%2").arg(project, dataset));
    return HttpResponse::json(200, datasetResource(*info, request));
}

HttpResponse ResourceApi::deleteDataset(const HttpRequest &request, const QString &project, const QString &dataset)
{
    const bool deleteContents = request.queryValue(QStringLiteral("deleteContents")).toLower() == QLatin1String("true");
    const QList<TableInfo> tables = m_catalog.tables(project, dataset);
    m_catalog.deleteDataset(project, dataset, deleteContents);
    for (const TableInfo &table : tables)
        m_buffer.forget(table.id());
    return HttpResponse::empty(204);
}

HttpResponse ResourceApi::insertTable(const HttpRequest &request, const QString &project, const QString &dataset)
{
    const QJsonObject body = bodyOf(request);
    const QJsonObject reference = body.value(QStringLiteral("tableReference")).toObject();
    TableInfo table;
    table.project = reference.value(QStringLiteral("projectId")).toString(project);
    table.dataset = reference.value(QStringLiteral("datasetId")).toString(dataset);
    table.table = reference.value(QStringLiteral("tableId")).toString();
    static const QRegularExpression validId(QStringLiteral("^[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd} ]{1,1024}$"));
    if (table.table.isEmpty())
        throw GoogleError::invalid(QStringLiteral("Required parameter is missing: tableReference.tableId"));
    if (!validId.match(table.table).hasMatch()) {
        throw GoogleError::invalid(QStringLiteral("Invalid table ID \"%1\". Table IDs must be alphanumeric (plus underscores) and must be "
                                                  "at most 1024 characters long.").arg(table.table));
    }
    for (const char *unsupported : {"view", "materializedView", "externalDataConfiguration", "timePartitioning", "rangePartitioning", "clustering"}) {
        if (body.contains(QString::fromLatin1(unsupported)))
            throw GoogleError::invalid(QStringLiteral("tf-bigquery-emulator does not support %1 tables").arg(QString::fromLatin1(unsupported)));
    }
    table.schema = FieldSchema::listFromJson(body.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")));
    table.description = body.value(QStringLiteral("description")).toString();
    table.creationTime = table.lastModifiedTime = JobsApi::nowMs();
    return HttpResponse::json(200, tableResource(m_catalog.createTable(table), request));
}

HttpResponse ResourceApi::getTable(const HttpRequest &request, const QString &project, const QString &dataset, const QString &table)
{
    const std::optional<TableInfo> info = m_catalog.table(project, dataset, table);
    if (!info)
        throw GoogleError::notFound(QStringLiteral("Not found: Table %1:%2.%3").arg(project, dataset, table));
    return HttpResponse::json(200, tableResource(*info, request));
}

HttpResponse ResourceApi::deleteTable(const QString &project, const QString &dataset, const QString &table)
{
    const std::optional<TableInfo> info = m_catalog.table(project, dataset, table);
    if (!info)
        throw GoogleError::notFound(QStringLiteral("Not found: Table %1:%2.%3").arg(project, dataset, table));
    m_catalog.deleteTable(*info);
    m_buffer.forget(info->id());
    return HttpResponse::empty(204);
}

} // namespace tf::emu
