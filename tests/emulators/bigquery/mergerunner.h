#pragma once

#include "bigquery/dmlrunner.h"
#include "bigquery/expressiontranslator.h"

namespace tf::emu {

// MERGE (GoogleSQL DML reference) on SQLite, which has no MERGE: the source is materialised once, every target row
// is matched and assigned its WHEN clause before anything changes (so each clause sees the rows as they were), then
// the updates, deletes and inserts are applied. A target row matched by two source rows is GoogleSQL's error
// "UPDATE/MERGE must match at most one source row for each target row". The caller holds the transaction.
class MergeRunner
{
public:
    MergeRunner(SqliteDatabase &database, TableResolver &tables, const QueryContext &context, MutationGuard guard);

    DmlStats run(const MergeStatement &statement);

private:
    QString clauseCase(const QList<const MergeClause *> &clauses, const Scope &scope, const QString &what);
    QString assignments(const MergeClause &clause, const Scope &scope);
    QString insertion(const MergeClause &clause, const Scope &sourceScope, const QList<ScopeColumn> &sourceColumns);
    void dropWorkTables();

    SqliteDatabase &m_database;
    TableResolver &m_tables;
    const QueryContext &m_context;
    MutationGuard m_guard;
    SqlBindings m_bindings;
    ExpressionTranslator m_expressions;
    TableInfo m_target;
    QString m_targetAlias;
};

} // namespace tf::emu
