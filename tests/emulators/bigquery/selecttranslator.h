#pragma once

#include "bigquery/expressiontranslator.h"
#include "bigquery/fieldschema.h"
#include "bigquery/tableresolver.h"

namespace tf::emu {

// A SELECT to one SQLite SELECT and the schema of its result (names as BigQuery gives them: the alias, the column or
// field name, else f0_, f1_, ...). Aggregate queries are checked as GoogleSQL does: every column outside an
// aggregate must be grouped.
class SelectTranslator
{
public:
    SelectTranslator(const QueryContext &context, SqlBindings &bindings, TableResolver &tables);

    struct Result {
        QString sql;
        QList<FieldSchema> schema;
        QList<SqlType> types;
    };
    Result translate(const SelectStatement &select);

    // A FROM item as SQLite FROM text (aliased `sqlAlias`) and the range variable it introduces.
    struct Source {
        QString sql;
        RangeVariable range;
    };
    Source source(const FromItem &item, const QString &sqlAlias);

private:
    struct Output {
        TypedSql value;
        QString name;
    };
    QList<Output> selectList(const SelectStatement &select, const Scope &scope, QList<QList<ExpressionTranslator::Reference>> *ungrouped);
    QStringList groupBy(const SelectStatement &select, const Scope &scope);
    QString orderBy(const SelectStatement &select, const Scope &scope, const QList<Output> &outputs, bool aggregateQuery);
    QString limit(const SelectStatement &select, const Scope &scope);
    void checkGrouped(const QList<ExpressionTranslator::Reference> &references, const QString &clause) const;

    const QueryContext &m_context;
    SqlBindings &m_bindings;
    TableResolver &m_tables;
    ExpressionTranslator m_expressions;
    QStringList m_groupKeys;
};

} // namespace tf::emu
