#include "bigquery/columnassignment.h"

#include "bigquery/valuecodec.h"

namespace tf::emu {

RangeVariable ColumnAssignment::range(const TableInfo &table, const QString &alias, const QString &sqlAlias)
{
    RangeVariable range;
    range.alias = alias.isEmpty() ? table.table : alias;
    for (const FieldSchema &field : table.schema) {
        range.columns.append(ScopeColumn{field.name, field.valueType(),
                                         Catalog::columnName(sqlAlias) + QLatin1Char('.') + Catalog::columnName(field.name),
                                         field.mode == FieldSchema::Mode::Required});
    }
    return range;
}

QString ColumnAssignment::defaultValue(const FieldSchema &column)
{
    return column.repeated() ? QStringLiteral("'[]'") : QStringLiteral("NULL");
}

QString ColumnAssignment::stored(const TypedSql &value, const FieldSchema &column)
{
    if (!column.repeated())
        return value.sql;
    return QStringLiteral("tf_write_array(%1, %2)").arg(value.sql, QLatin1Char('\'') + column.name + QLatin1Char('\''));
}

QString ColumnAssignment::value(ExpressionTranslator &expressions, const ExprPtr &value, const Scope &scope, const FieldSchema &column,
                                const std::function<QString(const SqlType &)> &message)
{
    if (value->kind == ExprKind::Default)
        return defaultValue(column);
    const TypedSql translated = expressions.translate(value, scope);
    return stored(expressions.coerceOrFail(translated, column.valueType(),
                                           [&](const SqlType &type) { return message(type) + QStringLiteral(" at ") + value->token.position(); }),
                  column);
}

QString ColumnAssignment::omitted(const FieldSchema &column, const TableInfo &table, const SqlToken &at)
{
    if (column.mode == FieldSchema::Mode::Required) {
        ExpressionTranslator::fail(QStringLiteral("Required column %1 of table %2 must be given a value").arg(column.name, table.dottedName()),
                                   at);
    }
    return defaultValue(column);
}

} // namespace tf::emu
