#pragma once

#include "bigquery/catalog.h"
#include "bigquery/querycontext.h"
#include "bigquery/sqlast.h"

namespace tf::emu {

// Table names in statements (`project.dataset.table`, `dataset.table`, or `table` with defaultDataset) to catalog
// tables, with BigQuery's errors: "Table name "t" missing dataset while no default dataset is set in the request."
// and 404 "Not found: Table p:d.t was not found in location US".
class TableResolver
{
public:
    TableResolver(const Catalog &catalog, const QueryContext &context);

    TableInfo resolve(const TableName &name);
    // project, dataset and table the name means, without looking it up.
    static QStringList qualify(const TableName &name, const QueryContext &context);
    const QList<TableInfo> &used() const { return m_used; } // every table resolved so far, once

private:
    const Catalog &m_catalog;
    const QueryContext &m_context;
    QList<TableInfo> m_used;
};

} // namespace tf::emu
