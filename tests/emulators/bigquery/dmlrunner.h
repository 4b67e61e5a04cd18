#pragma once

#include "bigquery/queryoutcome.h"
#include "bigquery/sqlast.h"
#include "bigquery/tableresolver.h"

#include <functional>

namespace tf::emu {

class SqliteDatabase;

// Called before a statement changes or removes existing rows of a table (UPDATE, DELETE, MERGE, TRUNCATE), to refuse
// it while the table has a streaming buffer (§2.3); `truncate` picks the message.
using MutationGuard = std::function<void(const TableInfo &table, bool truncate)>;

// INSERT, UPDATE, DELETE and TRUNCATE TABLE onto the table's SQLite table, with GoogleSQL's checks (column lists,
// assignable types, REQUIRED and REPEATED columns). The caller holds the transaction.
class DmlRunner
{
public:
    DmlRunner(SqliteDatabase &database, TableResolver &tables, const QueryContext &context, MutationGuard guard);

    DmlStats insert(const InsertStatement &statement);
    DmlStats update(const UpdateStatement &statement);
    DmlStats remove(const DeleteStatement &statement);
    DmlStats truncate(const TruncateStatement &statement);

private:
    SqliteDatabase &m_database;
    TableResolver &m_tables;
    const QueryContext &m_context;
    MutationGuard m_guard;
};

} // namespace tf::emu
