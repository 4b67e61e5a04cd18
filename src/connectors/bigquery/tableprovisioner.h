#pragma once

#include "connectors/bigquery/bigqueryclient.h"
#include "connectors/bigquery/schemafield.h"
#include "connectors/bigquery/tableref.h"

namespace tf {

// Creates the dataset and the canonical table with the contract's schema (datasets.insert, tables.insert,
// bigquery-rest.md §3.1), and reads the table's schema back (tables.get). "Already exists" (409 duplicate) is
// success for creation; an existing table is then checked against the contract instead of being altered.
class TableProvisioner
{
public:
    TableProvisioner(BigQueryClient &client, const TableRef &table, const QString &location);

    // Throws ConnectorError; Schema when the table exists with columns that contradict the contract.
    void provision();
    // The table's columns; nullopt when the table (or its dataset) does not exist.
    std::optional<QList<SchemaField>> tableSchema();

private:
    void createDataset();
    bool createTable(); // false: it existed already

    BigQueryClient &m_client;
    TableRef m_table;
    QString m_location;
};

} // namespace tf
