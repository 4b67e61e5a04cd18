#include "bigquery/catalog.h"

#include "bigquery/googleerror.h"
#include "bigquery/sqlitedatabase.h"

#include <QJsonDocument>

namespace tf::emu {

namespace {

QString declaredType(const FieldSchema &field)
{
    if (field.repeated() || field.kind == TypeKind::Struct)
        return QStringLiteral("TEXT");
    switch (field.kind) {
    case TypeKind::Int64:
    case TypeKind::Bool:
    case TypeKind::Timestamp:
        return QStringLiteral("INTEGER");
    case TypeKind::Float64:
        return QStringLiteral("REAL");
    case TypeKind::Bytes:
        return QStringLiteral("BLOB");
    default:
        return QStringLiteral("TEXT");
    }
}

// Logical size of one value (BigQuery's "Data type sizes"): fixed widths, 2 bytes + the UTF-8 length for text,
// the stored text for the nested types.
QString sizeExpression(const FieldSchema &field)
{
    const QString column = Catalog::columnName(field.name);
    if (field.repeated() || field.kind == TypeKind::Struct)
        return QStringLiteral("COALESCE(length(CAST(%1 AS BLOB)), 0)").arg(column);
    switch (field.kind) {
    case TypeKind::Bool:
        return QStringLiteral("(%1 IS NOT NULL)").arg(column);
    case TypeKind::Numeric:
        return QStringLiteral("16 * (%1 IS NOT NULL)").arg(column);
    case TypeKind::BigNumeric:
        return QStringLiteral("32 * (%1 IS NOT NULL)").arg(column);
    case TypeKind::String:
    case TypeKind::Json:
    case TypeKind::Geography:
    case TypeKind::Bytes:
        return QStringLiteral("COALESCE(2 + length(CAST(%1 AS BLOB)), 0)").arg(column);
    default:
        return QStringLiteral("8 * (%1 IS NOT NULL)").arg(column);
    }
}

} // namespace

Catalog::Catalog(SqliteDatabase &database)
    : m_database(database)
{
}

QString Catalog::columnName(const QString &name)
{
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString Catalog::key(const QString &project, const QString &dataset, const QString &table)
{
    return project + QLatin1Char(':') + dataset + QLatin1Char('.') + table;
}

void Catalog::load()
{
    m_database.run(QStringLiteral("CREATE TABLE IF NOT EXISTS tf_datasets (project TEXT, dataset TEXT, location TEXT, "
                                  "description TEXT, created INTEGER, modified INTEGER, PRIMARY KEY (project, dataset))"));
    m_database.run(QStringLiteral("CREATE TABLE IF NOT EXISTS tf_tables (project TEXT, dataset TEXT, name TEXT, storage TEXT, "
                                  "schema TEXT, description TEXT, created INTEGER, modified INTEGER, "
                                  "PRIMARY KEY (project, dataset, name))"));
    m_datasets.clear();
    m_tables.clear();
    const SqliteDatabase::Result datasets =
        m_database.run(QStringLiteral("SELECT project, dataset, location, description, created, modified FROM tf_datasets"));
    for (const QVariantList &row : datasets.rows) {
        DatasetInfo info{row.at(0).toString(), row.at(1).toString(), row.at(2).toString(),
                         row.at(3).toString(), row.at(4).toLongLong(), row.at(5).toLongLong()};
        m_datasets.insert(key(info.project, info.dataset), info);
    }
    const SqliteDatabase::Result tables =
        m_database.run(QStringLiteral("SELECT project, dataset, name, storage, schema, description, created, modified FROM tf_tables"));
    for (const QVariantList &row : tables.rows) {
        TableInfo info;
        info.project = row.at(0).toString();
        info.dataset = row.at(1).toString();
        info.table = row.at(2).toString();
        info.storageName = row.at(3).toString();
        info.schema = FieldSchema::listFromJson(QJsonDocument::fromJson(row.at(4).toString().toUtf8()).array());
        info.description = row.at(5).toString();
        info.creationTime = row.at(6).toLongLong();
        info.lastModifiedTime = row.at(7).toLongLong();
        info.location = m_datasets.value(key(info.project, info.dataset)).location;
        m_tables.insert(key(info.project, info.dataset, info.table), info);
        m_nextStorage = std::max(m_nextStorage, info.storageName.mid(1).toLongLong() + 1);
    }
}

void Catalog::clear()
{
    for (const TableInfo &table : std::as_const(m_tables))
        m_database.run(QStringLiteral("DROP TABLE IF EXISTS %1").arg(columnName(table.storageName)));
    m_database.run(QStringLiteral("DELETE FROM tf_tables"));
    m_database.run(QStringLiteral("DELETE FROM tf_datasets"));
    m_tables.clear();
    m_datasets.clear();
}

DatasetInfo Catalog::createDataset(const DatasetInfo &dataset)
{
    if (m_datasets.contains(key(dataset.project, dataset.dataset)))
        throw GoogleError::duplicate(QStringLiteral("Already Exists: Dataset %1").arg(dataset.id()));
    m_database.run(QStringLiteral("INSERT INTO tf_datasets VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                   {dataset.project, dataset.dataset, dataset.location, dataset.description, dataset.creationTime,
                    dataset.lastModifiedTime});
    m_datasets.insert(key(dataset.project, dataset.dataset), dataset);
    return dataset;
}

std::optional<DatasetInfo> Catalog::dataset(const QString &project, const QString &dataset) const
{
    const auto found = m_datasets.constFind(key(project, dataset));
    if (found == m_datasets.constEnd())
        return std::nullopt;
    return *found;
}

QList<TableInfo> Catalog::tables(const QString &project, const QString &dataset) const
{
    QList<TableInfo> result;
    for (const TableInfo &table : m_tables) {
        if (table.project == project && table.dataset == dataset)
            result.append(table);
    }
    return result;
}

void Catalog::deleteDataset(const QString &project, const QString &dataset, bool deleteContents)
{
    const std::optional<DatasetInfo> info = this->dataset(project, dataset);
    if (!info)
        throw GoogleError::notFound(QStringLiteral("Not found: Dataset %1:%2").arg(project, dataset));
    const QList<TableInfo> contents = tables(project, dataset);
    if (!contents.isEmpty() && !deleteContents)
        throw GoogleError(400, QStringLiteral("resourceInUse"), QStringLiteral("Dataset %1 is still in use").arg(info->id()));
    for (const TableInfo &table : contents)
        deleteTable(table);
    m_database.run(QStringLiteral("DELETE FROM tf_datasets WHERE project = ?1 AND dataset = ?2"), {project, dataset});
    m_datasets.remove(key(project, dataset));
}

TableInfo Catalog::createTable(const TableInfo &requested)
{
    const std::optional<DatasetInfo> owner = dataset(requested.project, requested.dataset);
    if (!owner)
        throw GoogleError::notFound(QStringLiteral("Not found: Dataset %1:%2").arg(requested.project, requested.dataset));
    if (m_tables.contains(key(requested.project, requested.dataset, requested.table)))
        throw GoogleError::duplicate(QStringLiteral("Already Exists: Table %1").arg(requested.id()));
    TableInfo table = requested;
    table.location = owner->location;
    table.storageName = QStringLiteral("t%1").arg(m_nextStorage++);
    QStringList columns;
    for (const FieldSchema &field : table.schema) {
        const bool notNull = field.mode != FieldSchema::Mode::Nullable;
        columns.append(columnName(field.name) + QLatin1Char(' ') + declaredType(field) + (notNull ? QStringLiteral(" NOT NULL") : QString()));
    }
    m_database.run(QStringLiteral("CREATE TABLE %1 (%2)").arg(columnName(table.storageName), columns.join(QStringLiteral(", "))));
    storeTable(table);
    m_tables.insert(key(table.project, table.dataset, table.table), table);
    return table;
}

void Catalog::storeTable(const TableInfo &table)
{
    m_database.run(QStringLiteral("INSERT OR REPLACE INTO tf_tables VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                   {table.project, table.dataset, table.table, table.storageName,
                    QString::fromUtf8(QJsonDocument(FieldSchema::listToJson(table.schema)).toJson(QJsonDocument::Compact)),
                    table.description, table.creationTime, table.lastModifiedTime});
}

std::optional<TableInfo> Catalog::table(const QString &project, const QString &dataset, const QString &table) const
{
    const auto found = m_tables.constFind(key(project, dataset, table));
    if (found == m_tables.constEnd())
        return std::nullopt;
    return *found;
}

void Catalog::deleteTable(const TableInfo &table)
{
    m_database.run(QStringLiteral("DROP TABLE IF EXISTS %1").arg(columnName(table.storageName)));
    m_database.run(QStringLiteral("DELETE FROM tf_tables WHERE project = ?1 AND dataset = ?2 AND name = ?3"),
                   {table.project, table.dataset, table.table});
    m_tables.remove(key(table.project, table.dataset, table.table));
}

void Catalog::touch(const TableInfo &table, qint64 nowMs)
{
    auto found = m_tables.find(key(table.project, table.dataset, table.table));
    if (found == m_tables.end())
        return;
    found->lastModifiedTime = nowMs;
    m_database.run(QStringLiteral("UPDATE tf_tables SET modified = ?1 WHERE project = ?2 AND dataset = ?3 AND name = ?4"),
                   {nowMs, table.project, table.dataset, table.table});
}

qint64 Catalog::rowCount(const TableInfo &table) const
{
    return m_database.run(QStringLiteral("SELECT COUNT(*) FROM %1").arg(columnName(table.storageName))).rows.value(0).value(0).toLongLong();
}

qint64 Catalog::byteCount(const TableInfo &table) const
{
    QStringList sizes;
    for (const FieldSchema &field : table.schema)
        sizes.append(sizeExpression(field));
    return m_database
        .run(QStringLiteral("SELECT COALESCE(SUM(%1), 0) FROM %2").arg(sizes.join(QStringLiteral(" + ")), columnName(table.storageName)))
        .rows.value(0)
        .value(0)
        .toLongLong();
}

} // namespace tf::emu
