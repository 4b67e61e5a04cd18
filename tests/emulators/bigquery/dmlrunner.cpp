#include "bigquery/dmlrunner.h"

#include "bigquery/columnassignment.h"
#include "bigquery/googleerror.h"
#include "bigquery/selecttranslator.h"
#include "bigquery/sqlitedatabase.h"

#include <QSet>

namespace tf::emu {

namespace {

// The target columns of an INSERT column list (all columns when none was written).
QList<qsizetype> insertColumns(const TableInfo &table, const QStringList &names, const QList<SqlToken> &tokens)
{
    QList<qsizetype> indexes;
    if (names.isEmpty()) {
        for (qsizetype i = 0; i < table.schema.size(); ++i)
            indexes.append(i);
        return indexes;
    }
    for (qsizetype i = 0; i < names.size(); ++i) {
        const qsizetype index = FieldSchema::indexOf(table.schema, names.at(i));
        if (index < 0)
            ExpressionTranslator::fail(QStringLiteral("Column %1 is not present in table %2").arg(names.at(i), table.dottedName()), tokens.at(i));
        if (indexes.contains(index))
            ExpressionTranslator::fail(QStringLiteral("INSERT has columns with duplicate name: %1").arg(names.at(i)), tokens.at(i));
        indexes.append(index);
    }
    return indexes;
}

// The target column of an UPDATE ... SET item: `column` or `alias.column`.
qsizetype assignedColumn(const TableInfo &table, const QString &alias, const Assignment &assignment)
{
    QStringList target = assignment.target;
    if (target.size() > 1 && target.first().compare(alias, Qt::CaseInsensitive) == 0)
        target.removeFirst();
    const qsizetype index = FieldSchema::indexOf(table.schema, target.first());
    if (index < 0)
        ExpressionTranslator::fail(QStringLiteral("Unrecognized name: %1").arg(target.first()), assignment.token);
    if (target.size() > 1) {
        ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not support assigning to struct fields (%1)")
                                       .arg(assignment.target.join(QLatin1Char('.'))),
                                   assignment.token);
    }
    return index;
}

} // namespace

DmlRunner::DmlRunner(SqliteDatabase &database, TableResolver &tables, const QueryContext &context, MutationGuard guard)
    : m_database(database)
    , m_tables(tables)
    , m_context(context)
    , m_guard(std::move(guard))
{
}

DmlStats DmlRunner::insert(const InsertStatement &statement)
{
    const TableInfo table = m_tables.resolve(statement.table);
    const QList<qsizetype> columns = insertColumns(table, statement.columns, statement.columnTokens);
    SqlBindings bindings;
    ExpressionTranslator expressions(m_context, bindings);
    expressions.beginClause(QStringLiteral("INSERT VALUES"), false);
    QStringList names;
    QStringList omitted;
    for (qsizetype i = 0; i < table.schema.size(); ++i) {
        if (!columns.contains(i)) {
            names.append(Catalog::columnName(table.schema.at(i).name));
            omitted.append(ColumnAssignment::omitted(table.schema.at(i), table, statement.token));
        }
    }
    for (qsizetype index : columns)
        names.append(Catalog::columnName(table.schema.at(index).name));

    QString sql = QStringLiteral("INSERT INTO %1 (%2) ").arg(Catalog::columnName(table.storageName), names.join(QStringLiteral(", ")));
    if (statement.select) {
        SelectTranslator select(m_context, bindings, m_tables);
        const SelectTranslator::Result query = select.translate(*statement.select);
        if (query.types.size() != columns.size()) {
            ExpressionTranslator::fail(QStringLiteral("Inserted row has wrong column count; Has %1, expected %2").arg(query.types.size()).arg(columns.size()),
                                       statement.token);
        }
        QStringList values = omitted;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const FieldSchema &column = table.schema.at(columns.at(i));
            TypedSql value;
            value.sql = QStringLiteral("\"q\".") + Catalog::columnName(query.schema.at(i).name);
            value.type = query.types.at(i);
            const std::optional<TypedSql> converted = expressions.coerce(value, column.valueType());
            if (!converted) {
                ExpressionTranslator::fail(QStringLiteral("Query column %1 has type %2 which cannot be inserted into column %3, which has type %4")
                                               .arg(i + 1)
                                               .arg(value.type.name(), column.name, column.valueType().name()),
                                           statement.token);
            }
            values.append(ColumnAssignment::stored(*converted, column));
        }
        sql += QStringLiteral("SELECT %1 FROM (%2) AS \"q\"").arg(values.join(QStringLiteral(", ")), query.sql);
    } else {
        QStringList rows;
        for (const QList<ExprPtr> &row : statement.rows) {
            if (row.size() != columns.size()) {
                ExpressionTranslator::fail(QStringLiteral("Inserted row has wrong column count; Has %1, expected %2").arg(row.size()).arg(columns.size()),
                                           row.isEmpty() ? statement.token : row.first()->token);
            }
            QStringList values = omitted;
            for (qsizetype i = 0; i < columns.size(); ++i) {
                const FieldSchema &column = table.schema.at(columns.at(i));
                values.append(ColumnAssignment::value(expressions, row.at(i), Scope(), column, [&](const SqlType &type) {
                    return QStringLiteral("Value has type %1 which cannot be inserted into column %2, which has type %3")
                        .arg(type.name(), column.name, column.valueType().name());
                }));
            }
            rows.append(QLatin1Char('(') + values.join(QStringLiteral(", ")) + QLatin1Char(')'));
        }
        sql += QStringLiteral("VALUES ") + rows.join(QStringLiteral(", "));
    }
    DmlStats stats;
    stats.inserted = m_database.run(sql, bindings.values()).changes;
    return stats;
}

DmlStats DmlRunner::update(const UpdateStatement &statement)
{
    const TableInfo table = m_tables.resolve(statement.table);
    const QString alias = statement.alias.isEmpty() ? table.table : statement.alias;
    SqlBindings bindings;
    ExpressionTranslator expressions(m_context, bindings);
    Scope scope;
    scope.add(ColumnAssignment::range(table, alias, QStringLiteral("u")));
    expressions.beginClause(QStringLiteral("UPDATE SET"), false);
    QStringList assignments;
    QSet<qsizetype> assigned;
    for (const Assignment &assignment : statement.assignments) {
        const qsizetype index = assignedColumn(table, alias, assignment);
        const FieldSchema &column = table.schema.at(index);
        if (assigned.contains(index))
            ExpressionTranslator::fail(QStringLiteral("Update item %1 overlaps with %1").arg(column.name), assignment.token);
        assigned.insert(index);
        assignments.append(Catalog::columnName(column.name) + QStringLiteral(" = ")
                           + ColumnAssignment::value(expressions, assignment.value, scope, column, [&](const SqlType &type) {
                                 return QStringLiteral("Value of type %1 cannot be assigned to %2, which has type %3")
                                     .arg(type.name(), column.name, column.valueType().name());
                             }));
    }
    expressions.beginClause(QStringLiteral("WHERE clause"), false);
    const TypedSql where = expressions.condition(statement.where, scope, QStringLiteral("WHERE clause"));
    m_guard(table, false);
    DmlStats stats;
    stats.updated = m_database
                        .run(QStringLiteral("UPDATE %1 AS \"u\" SET %2 WHERE %3")
                                 .arg(Catalog::columnName(table.storageName), assignments.join(QStringLiteral(", ")), where.sql),
                             bindings.values())
                        .changes;
    return stats;
}

DmlStats DmlRunner::remove(const DeleteStatement &statement)
{
    const TableInfo table = m_tables.resolve(statement.table);
    SqlBindings bindings;
    ExpressionTranslator expressions(m_context, bindings);
    Scope scope;
    scope.add(ColumnAssignment::range(table, statement.alias, QStringLiteral("u")));
    expressions.beginClause(QStringLiteral("WHERE clause"), false);
    const TypedSql where = expressions.condition(statement.where, scope, QStringLiteral("WHERE clause"));
    m_guard(table, false);
    DmlStats stats;
    stats.deleted = m_database
                        .run(QStringLiteral("DELETE FROM %1 AS \"u\" WHERE %2").arg(Catalog::columnName(table.storageName), where.sql),
                             bindings.values())
                        .changes;
    return stats;
}

DmlStats DmlRunner::truncate(const TruncateStatement &statement)
{
    const TableInfo table = m_tables.resolve(statement.table);
    m_guard(table, true);
    DmlStats stats;
    stats.deleted = m_database.run(QStringLiteral("DELETE FROM %1").arg(Catalog::columnName(table.storageName))).changes;
    return stats;
}

} // namespace tf::emu
