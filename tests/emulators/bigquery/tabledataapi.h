#pragma once

#include "bigquery/catalog.h"
#include "bigquery/streamingbuffer.h"
#include "common/httpmessage.h"

namespace tf::emu {

class SqliteDatabase;

// tabledata.insertAll (§2) and tabledata.list (§3.2). insertAll de-duplicates by insertId, honours skipInvalidRows
// and ignoreUnknownValues, reports row failures as insertErrors with HTTP 200 (invalid rows, and "stopped" for the
// valid rows a failure held back), and refuses requests over 10 MB or 50,000 rows. The rows it writes enter the
// table's streaming buffer. tabledata.list pages in insertion order and carries no schema.
class TableDataApi
{
public:
    static constexpr qsizetype kMaxRequestBytes = 10485760;
    static constexpr qsizetype kMaxRows = 50000;

    TableDataApi(SqliteDatabase &database, Catalog &catalog, StreamingBuffer &buffer);

    HttpResponse insertAll(const HttpRequest &request, const QString &project, const QString &dataset, const QString &table);
    HttpResponse list(const HttpRequest &request, const QString &project, const QString &dataset, const QString &table);

private:
    TableInfo lookup(const QString &project, const QString &dataset, const QString &table) const;

    SqliteDatabase &m_database;
    Catalog &m_catalog;
    StreamingBuffer &m_buffer;
};

} // namespace tf::emu
