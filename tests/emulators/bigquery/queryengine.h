#pragma once

#include "bigquery/dmlrunner.h"
#include "bigquery/queryoutcome.h"
#include "bigquery/sqlast.h"

#include <optional>

namespace tf::emu {

class Catalog;
class SqliteDatabase;

// Runs one GoogleSQL statement against the catalog: parse (SqlParser), translate, execute on SQLite. A SELECT
// returns its rows in storage form; DML runs in one transaction (all or nothing) and returns its counts.
class QueryEngine
{
public:
    QueryEngine(SqliteDatabase &database, Catalog &catalog);

    void setMutationGuard(MutationGuard guard) { m_guard = std::move(guard); }

    static Statement parse(const QString &sql);
    static QString statementType(const Statement &statement);
    // The table an UPDATE, DELETE, MERGE or TRUNCATE changes ("p:d.t"), which DML queues per table (§2.4); nullopt
    // for a SELECT or INSERT.
    static std::optional<QString> mutatedTable(const Statement &statement, const QueryContext &context);

    QueryOutcome run(const Statement &statement, const QueryContext &context, qint64 nowMs);

private:
    QueryOutcome select(const SelectStatement &statement, const QueryContext &context);

    SqliteDatabase &m_database;
    Catalog &m_catalog;
    MutationGuard m_guard;
};

} // namespace tf::emu
