#include "bigquery/mergerunner.h"

#include "bigquery/columnassignment.h"
#include "bigquery/googleerror.h"
#include "bigquery/selecttranslator.h"
#include "bigquery/sqlitedatabase.h"

#include <QSet>

namespace tf::emu {

namespace {

const QString kSource = QStringLiteral("temp.tf_merge_source");
const QString kPairs = QStringLiteral("temp.tf_merge_pairs");
const QString kInserts = QStringLiteral("temp.tf_merge_inserts");
const QString kOrphans = QStringLiteral("temp.tf_merge_orphans");
const QString kTargetAlias = QStringLiteral("\"mt\"");
const QString kSourceAlias = QStringLiteral("\"ms\"");

} // namespace

MergeRunner::MergeRunner(SqliteDatabase &database, TableResolver &tables, const QueryContext &context, MutationGuard guard)
    : m_database(database)
    , m_tables(tables)
    , m_context(context)
    , m_guard(std::move(guard))
    , m_expressions(context, m_bindings)
{
}

void MergeRunner::dropWorkTables()
{
    for (const QString &table : {kSource, kPairs, kInserts, kOrphans})
        m_database.run(QStringLiteral("DROP TABLE IF EXISTS ") + table);
}

// CASE WHEN <condition of clause 1> THEN 1 WHEN ... ELSE 0 END: the first clause whose condition holds wins.
QString MergeRunner::clauseCase(const QList<const MergeClause *> &clauses, const Scope &scope, const QString &what)
{
    if (clauses.isEmpty())
        return QStringLiteral("0");
    QString sql = QStringLiteral("CASE");
    for (qsizetype i = 0; i < clauses.size(); ++i) {
        const MergeClause &clause = *clauses.at(i);
        const QString condition = clause.condition ? m_expressions.condition(clause.condition, scope, what).sql : QStringLiteral("1");
        sql += QStringLiteral(" WHEN %1 THEN %2").arg(condition).arg(i + 1);
    }
    return sql + QStringLiteral(" ELSE 0 END");
}

QString MergeRunner::assignments(const MergeClause &clause, const Scope &scope)
{
    QStringList items;
    QSet<qsizetype> assigned;
    for (const Assignment &assignment : clause.assignments) {
        QStringList target = assignment.target;
        if (target.size() > 1 && target.first().compare(m_targetAlias, Qt::CaseInsensitive) == 0)
            target.removeFirst();
        const qsizetype index = FieldSchema::indexOf(m_target.schema, target.first());
        if (index < 0 || target.size() > 1) {
            ExpressionTranslator::fail(QStringLiteral("Unrecognized name: %1 (the target of an UPDATE in MERGE is a column of %2)")
                                           .arg(assignment.target.join(QLatin1Char('.')), m_target.dottedName()),
                                       assignment.token);
        }
        const FieldSchema &column = m_target.schema.at(index);
        if (assigned.contains(index))
            ExpressionTranslator::fail(QStringLiteral("Update item %1 overlaps with %1").arg(column.name), assignment.token);
        assigned.insert(index);
        items.append(Catalog::columnName(column.name) + QStringLiteral(" = ")
                     + ColumnAssignment::value(m_expressions, assignment.value, scope, column, [&](const SqlType &type) {
                           return QStringLiteral("Value of type %1 cannot be assigned to %2, which has type %3")
                               .arg(type.name(), column.name, column.valueType().name());
                       }));
    }
    return items.join(QStringLiteral(", "));
}

QString MergeRunner::insertion(const MergeClause &clause, const Scope &sourceScope, const QList<ScopeColumn> &sourceColumns)
{
    QList<qsizetype> columns;
    if (clause.insertColumns.isEmpty()) {
        for (qsizetype i = 0; i < m_target.schema.size(); ++i)
            columns.append(i);
    }
    for (qsizetype i = 0; i < clause.insertColumns.size(); ++i) {
        const qsizetype index = FieldSchema::indexOf(m_target.schema, clause.insertColumns.at(i));
        if (index < 0) {
            ExpressionTranslator::fail(QStringLiteral("Column %1 is not present in table %2").arg(clause.insertColumns.at(i), m_target.dottedName()),
                                       clause.insertColumnTokens.at(i));
        }
        if (columns.contains(index))
            ExpressionTranslator::fail(QStringLiteral("INSERT has columns with duplicate name: %1").arg(clause.insertColumns.at(i)),
                                       clause.insertColumnTokens.at(i));
        columns.append(index);
    }
    const qsizetype given = clause.insertRow ? sourceColumns.size() : clause.insertValues.size();
    if (given != columns.size())
        ExpressionTranslator::fail(QStringLiteral("Inserted row has wrong column count; Has %1, expected %2").arg(given).arg(columns.size()), clause.token);

    QStringList names;
    QStringList values;
    for (qsizetype i = 0; i < m_target.schema.size(); ++i) {
        if (!columns.contains(i)) {
            names.append(Catalog::columnName(m_target.schema.at(i).name));
            values.append(ColumnAssignment::omitted(m_target.schema.at(i), m_target, clause.token));
        }
    }
    for (qsizetype i = 0; i < columns.size(); ++i) {
        const FieldSchema &column = m_target.schema.at(columns.at(i));
        names.append(Catalog::columnName(column.name));
        const auto message = [&](const SqlType &type) {
            return QStringLiteral("Value has type %1 which cannot be inserted into column %2, which has type %3")
                .arg(type.name(), column.name, column.valueType().name());
        };
        if (clause.insertRow) {
            TypedSql value;
            value.sql = sourceColumns.at(i).sql;
            value.type = sourceColumns.at(i).type;
            values.append(ColumnAssignment::stored(m_expressions.coerceOrFail(value, column.valueType(), message), column));
        } else {
            values.append(ColumnAssignment::value(m_expressions, clause.insertValues.at(i), sourceScope, column, message));
        }
    }
    return QStringLiteral("(%1) SELECT %2").arg(names.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")));
}

DmlStats MergeRunner::run(const MergeStatement &statement)
{
    m_target = m_tables.resolve(statement.target);
    m_targetAlias = statement.targetAlias.isEmpty() ? m_target.table : statement.targetAlias;
    const QString target = Catalog::columnName(m_target.storageName);

    // The source, materialised: its columns become c0, c1, ... of a temporary table whose rowid identifies a row.
    SelectTranslator sources(m_context, m_bindings, m_tables);
    const SelectTranslator::Source source = sources.source(statement.source, QStringLiteral("src"));
    QList<ScopeColumn> sourceColumns = source.range.columns;
    if (source.range.value)
        sourceColumns.append(*source.range.value);
    RangeVariable sourceRange;
    sourceRange.alias = source.range.alias;
    QStringList materialised;
    for (qsizetype i = 0; i < sourceColumns.size(); ++i) {
        const QString column = QStringLiteral("\"c%1\"").arg(i);
        materialised.append(sourceColumns.at(i).sql + QStringLiteral(" AS ") + column);
        ScopeColumn scoped = sourceColumns.at(i);
        scoped.sql = kSourceAlias + QLatin1Char('.') + column;
        if (source.range.value && i == sourceColumns.size() - 1)
            sourceRange.value = scoped;
        else
            sourceRange.columns.append(scoped);
    }
    sourceColumns = sourceRange.columns;
    if (sourceRange.value)
        sourceColumns.append(*sourceRange.value);

    Scope targetScope;
    targetScope.add(ColumnAssignment::range(m_target, m_targetAlias, QStringLiteral("mt")));
    Scope sourceScope;
    sourceScope.add(sourceRange);
    Scope bothScope;
    bothScope.add(targetScope.ranges().first());
    bothScope.add(sourceRange);

    m_expressions.beginClause(QStringLiteral("MERGE ON clause"), false);
    const TypedSql on = m_expressions.condition(statement.on, bothScope, QStringLiteral("MERGE ON clause"));
    QList<const MergeClause *> matched, notMatched, notMatchedBySource;
    for (const MergeClause &clause : statement.clauses) {
        if (clause.match == MergeClause::Match::Matched)
            matched.append(&clause);
        else if (clause.match == MergeClause::Match::NotMatchedByTarget)
            notMatched.append(&clause);
        else
            notMatchedBySource.append(&clause);
    }
    m_expressions.beginClause(QStringLiteral("WHEN clause"), false);
    const QString matchedCase = clauseCase(matched, bothScope, QStringLiteral("WHEN MATCHED clause"));
    const QString notMatchedCase = clauseCase(notMatched, sourceScope, QStringLiteral("WHEN NOT MATCHED clause"));
    const QString orphanCase = clauseCase(notMatchedBySource, targetScope, QStringLiteral("WHEN NOT MATCHED BY SOURCE clause"));

    // Every clause's SQL is built before anything runs, so a type error leaves the table untouched.
    QStringList updates;
    QStringList inserts;
    for (const MergeClause *clause : matched)
        updates.append(clause->action == MergeClause::Action::Update ? assignments(*clause, bothScope) : QString());
    for (const MergeClause *clause : notMatched)
        inserts.append(insertion(*clause, sourceScope, sourceColumns));
    QStringList orphanUpdates;
    for (const MergeClause *clause : notMatchedBySource)
        orphanUpdates.append(clause->action == MergeClause::Action::Update ? assignments(*clause, targetScope) : QString());

    m_guard(m_target, false);
    dropWorkTables();
    const QVariantList &values = m_bindings.values();
    m_database.run(QStringLiteral("CREATE TEMP TABLE tf_merge_source AS SELECT %1 FROM %2").arg(materialised.join(QStringLiteral(", ")), source.sql),
                   values);
    m_database.run(QStringLiteral("CREATE TEMP TABLE tf_merge_pairs AS SELECT %1.rowid AS trow, %2.rowid AS srow, %3 AS clause "
                                  "FROM %4 AS %1 JOIN %5 AS %2 ON %6")
                       .arg(kTargetAlias, kSourceAlias, matchedCase, target, kSource, on.sql),
                   values);
    if (!matched.isEmpty()) {
        if (!m_database.run(QStringLiteral("SELECT trow FROM %1 GROUP BY trow HAVING COUNT(*) > 1 LIMIT 1").arg(kPairs)).rows.isEmpty())
            throw GoogleError::invalidQuery(QStringLiteral("UPDATE/MERGE must match at most one source row for each target row"));
    }
    if (!notMatched.isEmpty()) {
        m_database.run(QStringLiteral("CREATE TEMP TABLE tf_merge_inserts AS SELECT %1.rowid AS srow, %2 AS clause FROM %3 AS %1 "
                                      "WHERE %1.rowid NOT IN (SELECT srow FROM %4)")
                           .arg(kSourceAlias, notMatchedCase, kSource, kPairs),
                       values);
    }
    if (!notMatchedBySource.isEmpty()) {
        m_database.run(QStringLiteral("CREATE TEMP TABLE tf_merge_orphans AS SELECT %1.rowid AS trow, %2 AS clause FROM %3 AS %1 "
                                      "WHERE %1.rowid NOT IN (SELECT trow FROM %4)")
                           .arg(kTargetAlias, orphanCase, target, kPairs),
                       values);
    }

    DmlStats stats;
    for (qsizetype i = 0; i < matched.size(); ++i) {
        if (matched.at(i)->action == MergeClause::Action::Delete) {
            stats.deleted += m_database.run(QStringLiteral("DELETE FROM %1 WHERE rowid IN (SELECT trow FROM %2 WHERE clause = %3)")
                                                .arg(target, kPairs).arg(i + 1))
                                 .changes;
        } else {
            stats.updated += m_database.run(QStringLiteral("UPDATE %1 AS %2 SET %3 FROM %4 AS \"mp\" JOIN %5 AS %6 ON %6.rowid = \"mp\".srow "
                                                           "WHERE %2.rowid = \"mp\".trow AND \"mp\".clause = %7")
                                                .arg(target, kTargetAlias, updates.at(i), kPairs, kSource, kSourceAlias)
                                                .arg(i + 1),
                                            values)
                                 .changes;
        }
    }
    for (qsizetype i = 0; i < notMatchedBySource.size(); ++i) {
        if (notMatchedBySource.at(i)->action == MergeClause::Action::Delete) {
            stats.deleted += m_database.run(QStringLiteral("DELETE FROM %1 WHERE rowid IN (SELECT trow FROM %2 WHERE clause = %3)")
                                                .arg(target, kOrphans).arg(i + 1))
                                 .changes;
        } else {
            stats.updated += m_database.run(QStringLiteral("UPDATE %1 AS %2 SET %3 WHERE %2.rowid IN (SELECT trow FROM %4 WHERE clause = %5)")
                                                .arg(target, kTargetAlias, orphanUpdates.at(i), kOrphans)
                                                .arg(i + 1),
                                            values)
                                 .changes;
        }
    }
    for (qsizetype i = 0; i < notMatched.size(); ++i) {
        const QString &insert = inserts.at(i);
        stats.inserted += m_database.run(QStringLiteral("INSERT INTO %1 %2 FROM %3 AS %4 WHERE %4.rowid IN (SELECT srow FROM %5 WHERE clause = %6) "
                                                        "ORDER BY %4.rowid")
                                             .arg(target, insert, kSource, kSourceAlias, kInserts)
                                             .arg(i + 1),
                                         values)
                              .changes;
    }
    dropWorkTables();
    return stats;
}

} // namespace tf::emu
