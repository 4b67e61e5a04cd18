#pragma once

#include "bigquery/catalog.h"
#include "bigquery/streamingbuffer.h"
#include "common/httpmessage.h"

namespace tf::emu {

// datasets.insert/get/delete and tables.insert/get/delete (§3.1): the Dataset and Table resources with int64
// quantities as strings, schemas with legacy type names and explicit modes, streamingBuffer while the table has one,
// 409 "Already Exists: Table p:d.t", 404 "Not found: Table p:d.t", deleteContents.
class ResourceApi
{
public:
    ResourceApi(Catalog &catalog, StreamingBuffer &buffer);

    HttpResponse insertDataset(const HttpRequest &request, const QString &project);
    HttpResponse getDataset(const HttpRequest &request, const QString &project, const QString &dataset);
    HttpResponse deleteDataset(const HttpRequest &request, const QString &project, const QString &dataset);
    HttpResponse insertTable(const HttpRequest &request, const QString &project, const QString &dataset);
    HttpResponse getTable(const HttpRequest &request, const QString &project, const QString &dataset, const QString &table);
    HttpResponse deleteTable(const QString &project, const QString &dataset, const QString &table);

private:
    QJsonObject datasetResource(const DatasetInfo &dataset, const HttpRequest &request) const;
    QJsonObject tableResource(const TableInfo &table, const HttpRequest &request) const;

    Catalog &m_catalog;
    StreamingBuffer &m_buffer;
};

} // namespace tf::emu
