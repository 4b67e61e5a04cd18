#pragma once

#include "bigquery/fieldschema.h"

#include <QHash>
#include <QString>
#include <optional>

namespace tf::emu {

class SqliteDatabase;

struct DatasetInfo {
    QString project;
    QString dataset;
    QString location;
    QString description;
    qint64 creationTime = 0; // ms since the epoch
    qint64 lastModifiedTime = 0;

    QString id() const { return project + QLatin1Char(':') + dataset; } // "p:d", as messages and resources name it
};

struct TableInfo {
    QString project;
    QString dataset;
    QString table;
    QString storageName; // the SQLite table holding the rows
    QList<FieldSchema> schema;
    QString description;
    QString location;
    qint64 creationTime = 0;
    qint64 lastModifiedTime = 0;

    QString id() const { return project + QLatin1Char(':') + dataset + QLatin1Char('.') + table; }
    QString dottedName() const { return project + QLatin1Char('.') + dataset + QLatin1Char('.') + table; }
};

// Datasets and tables with their schemas (bigquery-rest.md §3.1). Each table's rows live in an SQLite table of its
// own with one column per top-level field (declared with the storage class of its type, NOT NULL for REQUIRED and
// REPEATED); the catalog itself lives in two SQLite tables, so a --data file keeps everything.
class Catalog
{
public:
    explicit Catalog(SqliteDatabase &database);

    void load();  // creates the catalog tables when missing and reads them
    void clear(); // drops every dataset and table

    DatasetInfo createDataset(const DatasetInfo &dataset);     // 409 duplicate when it exists
    std::optional<DatasetInfo> dataset(const QString &project, const QString &dataset) const;
    void deleteDataset(const QString &project, const QString &dataset, bool deleteContents); // 404, 400 resourceInUse
    QList<TableInfo> tables(const QString &project, const QString &dataset) const;

    TableInfo createTable(const TableInfo &table);             // 404 without the dataset, 409 duplicate
    std::optional<TableInfo> table(const QString &project, const QString &dataset, const QString &table) const;
    void deleteTable(const TableInfo &table);
    void touch(const TableInfo &table, qint64 nowMs);          // lastModifiedTime after a write

    qint64 rowCount(const TableInfo &table) const;
    qint64 byteCount(const TableInfo &table) const; // BigQuery's logical bytes (types doc: data type sizes)

    static QString columnName(const QString &name); // a quoted SQLite identifier

private:
    static QString key(const QString &project, const QString &dataset, const QString &table = QString());
    void storeTable(const TableInfo &table);

    SqliteDatabase &m_database;
    QHash<QString, DatasetInfo> m_datasets;
    QHash<QString, TableInfo> m_tables;
    qint64 m_nextStorage = 1;
};

} // namespace tf::emu
