#include "bigquery/selecttranslator.h"

#include "bigquery/columnassignment.h"
#include "bigquery/googleerror.h"

#include <QSet>

namespace tf::emu {

SelectTranslator::SelectTranslator(const QueryContext &context, SqlBindings &bindings, TableResolver &tables)
    : m_context(context)
    , m_bindings(bindings)
    , m_tables(tables)
    , m_expressions(context, bindings)
{
}

SelectTranslator::Source SelectTranslator::source(const FromItem &item, const QString &sqlAlias)
{
    Source source;
    const QString alias = Catalog::columnName(sqlAlias);
    switch (item.kind) {
    case FromItem::Kind::Table: {
        const TableInfo table = m_tables.resolve(item.table);
        source.sql = Catalog::columnName(table.storageName) + QStringLiteral(" AS ") + alias;
        source.range = ColumnAssignment::range(table, item.alias, sqlAlias);
        return source;
    }
    case FromItem::Kind::Unnest: {
        m_expressions.beginClause(QStringLiteral("UNNEST"), false);
        const TypedSql array = m_expressions.translate(item.unnest, Scope());
        if (!array.type.isArray()) {
            ExpressionTranslator::fail(
                QStringLiteral("Values referenced in UNNEST must be arrays. UNNEST contains expression of type %1").arg(array.type.name()),
                item.unnest->token);
        }
        source.sql = QStringLiteral("json_each(%1) AS %2").arg(array.sql, alias);
        source.range.alias = item.alias;
        const SqlType &element = array.type.element();
        const QString raw = alias + QStringLiteral(".value");
        if (element.isStruct()) {
            for (qsizetype i = 0; i < element.members().size(); ++i) {
                const StructMember &member = element.members().at(i);
                source.range.columns.append(ScopeColumn{
                    member.name, member.type,
                    ExpressionTranslator::elementSql(QStringLiteral("json_extract(%1, '$[%2]')").arg(raw).arg(i), member.type)});
            }
        } else {
            source.range.value = ScopeColumn{item.alias, element, ExpressionTranslator::elementSql(raw, element)};
        }
        return source;
    }
    case FromItem::Kind::Subquery: {
        SelectTranslator inner(m_context, m_bindings, m_tables);
        const Result result = inner.translate(*item.subquery);
        source.sql = QStringLiteral("(%1) AS %2").arg(result.sql, alias);
        source.range.alias = item.alias;
        for (qsizetype i = 0; i < result.schema.size(); ++i) {
            const QString &name = result.schema.at(i).name;
            source.range.columns.append(ScopeColumn{name, result.types.at(i), alias + QLatin1Char('.') + Catalog::columnName(name),
                                                    result.schema.at(i).mode == FieldSchema::Mode::Required});
        }
        return source;
    }
    }
    return source;
}

void SelectTranslator::checkGrouped(const QList<ExpressionTranslator::Reference> &references, const QString &clause) const
{
    if (references.isEmpty())
        return;
    const ExpressionTranslator::Reference &first = references.first();
    ExpressionTranslator::fail(
        QStringLiteral("%1 expression references column %2 which is neither grouped nor aggregated").arg(clause, first.name), first.token);
}

QStringList SelectTranslator::groupBy(const SelectStatement &select, const Scope &scope)
{
    m_expressions.beginClause(QStringLiteral("GROUP BY clause"), false);
    QStringList sql;
    for (const ExprPtr &item : select.groupBy) {
        ExprPtr expr = item;
        // GROUP BY 2 and GROUP BY alias name SELECT list items.
        if (item->kind == ExprKind::IntegerLiteral) {
            const int position = item->text.toInt();
            if (position < 1 || position > select.items.size() || select.items.at(position - 1).star)
                ExpressionTranslator::fail(QStringLiteral("GROUP BY is out of SELECT column number range: %1").arg(position), item->token);
            expr = select.items.at(position - 1).expr;
        } else if (item->kind == ExprKind::Path && item->path.size() == 1) {
            for (const SelectItem &selectItem : select.items) {
                if (!selectItem.star && selectItem.alias.compare(item->path.first(), Qt::CaseInsensitive) == 0)
                    expr = selectItem.expr;
            }
        }
        const TypedSql value = m_expressions.translate(expr, scope);
        if (!value.type.supportsEquality())
            ExpressionTranslator::fail(QStringLiteral("Grouping by expressions of type %1 is not allowed").arg(value.type.name()), item->token);
        sql.append(value.sql);
    }
    m_expressions.takeUngrouped();
    return sql;
}

QList<SelectTranslator::Output> SelectTranslator::selectList(const SelectStatement &select, const Scope &scope,
                                                             QList<QList<ExpressionTranslator::Reference>> *ungrouped)
{
    QList<Output> outputs;
    for (const SelectItem &item : select.items) {
        if (!item.star) {
            const TypedSql value = m_expressions.translate(item.expr, scope);
            ungrouped->append(m_expressions.takeUngrouped());
            outputs.append(Output{value, item.alias.isEmpty() ? value.name : item.alias});
            continue;
        }
        bool matched = item.starOf.isEmpty();
        QList<ExpressionTranslator::Reference> references;
        for (const RangeVariable &range : scope.ranges()) {
            if (!item.starOf.isEmpty() && range.alias.compare(item.starOf, Qt::CaseInsensitive) != 0)
                continue;
            matched = true;
            QList<ScopeColumn> columns = range.columns;
            if (range.value)
                columns.append(*range.value);
            for (const ScopeColumn &column : columns) {
                TypedSql value;
                value.sql = column.sql;
                value.type = column.type;
                value.required = column.required;
                outputs.append(Output{value, column.name});
                if (!m_groupKeys.contains(m_expressions.groupKey(column.sql)))
                    references.append(ExpressionTranslator::Reference{column.name, item.token});
            }
        }
        if (!matched)
            ExpressionTranslator::fail(QStringLiteral("Unrecognized name: %1").arg(item.starOf), item.token);
        if (scope.ranges().isEmpty())
            ExpressionTranslator::fail(QStringLiteral("SELECT * must have a FROM clause"), item.token);
        ungrouped->append(references);
    }
    return outputs;
}

QString SelectTranslator::orderBy(const SelectStatement &select, const Scope &scope, const QList<Output> &outputs, bool aggregateQuery)
{
    if (select.orderBy.isEmpty())
        return QString();
    m_expressions.beginClause(QStringLiteral("ORDER BY clause"), aggregateQuery);
    QStringList items;
    for (const OrderItem &item : select.orderBy) {
        QString sql;
        SqlType type;
        if (item.expr->kind == ExprKind::IntegerLiteral) {
            const int position = item.expr->text.toInt();
            if (position < 1 || position > outputs.size())
                ExpressionTranslator::fail(QStringLiteral("ORDER BY is out of SELECT column number range: %1").arg(position), item.expr->token);
            sql = QString::number(position);
            type = outputs.at(position - 1).value.type;
        } else {
            int position = -1;
            if (item.expr->kind == ExprKind::Path && item.expr->path.size() == 1) {
                for (qsizetype i = 0; i < outputs.size(); ++i) {
                    if (outputs.at(i).name.compare(item.expr->path.first(), Qt::CaseInsensitive) == 0)
                        position = int(i);
                }
            }
            if (position >= 0) {
                sql = QString::number(position + 1);
                type = outputs.at(position).value.type;
            } else {
                const TypedSql value = m_expressions.translate(item.expr, scope);
                if (aggregateQuery)
                    checkGrouped(m_expressions.takeUngrouped(), QStringLiteral("ORDER BY clause"));
                sql = value.sql;
                type = value.type;
            }
        }
        if (!type.supportsOrdering())
            ExpressionTranslator::fail(QStringLiteral("ORDER BY does not support expressions of type %1").arg(type.name()), item.expr->token);
        sql += item.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
        if (item.nullsFirst)
            sql += *item.nullsFirst ? QStringLiteral(" NULLS FIRST") : QStringLiteral(" NULLS LAST");
        items.append(sql);
    }
    return QStringLiteral(" ORDER BY ") + items.join(QStringLiteral(", "));
}

QString SelectTranslator::limit(const SelectStatement &select, const Scope &scope)
{
    if (!select.limit)
        return QString();
    m_expressions.beginClause(QStringLiteral("LIMIT"), false);
    const auto count = [&](const ExprPtr &expr, const QString &what) {
        const TypedSql value = m_expressions.translate(expr, scope);
        if (!value.isConstant() || value.type.kind() != TypeKind::Int64)
            ExpressionTranslator::fail(QStringLiteral("%1 expects an integer literal or parameter").arg(what), expr->token);
        if (value.constant.isNull() || value.constant.toLongLong() < 0)
            ExpressionTranslator::fail(QStringLiteral("%1 expects a non-negative integer literal or parameter").arg(what), expr->token);
        return value.sql;
    };
    QString sql = QStringLiteral(" LIMIT ") + count(select.limit, QStringLiteral("LIMIT"));
    if (select.offset)
        sql += QStringLiteral(" OFFSET ") + count(select.offset, QStringLiteral("OFFSET"));
    m_expressions.takeUngrouped();
    return sql;
}

SelectTranslator::Result SelectTranslator::translate(const SelectStatement &select)
{
    Scope scope;
    QString from;
    if (select.from) {
        const Source source = this->source(*select.from, QStringLiteral("s0"));
        scope.add(source.range);
        from = QStringLiteral(" FROM ") + source.sql;
    }
    QString where;
    if (select.where) {
        m_expressions.beginClause(QStringLiteral("WHERE clause"), false);
        where = QStringLiteral(" WHERE ") + m_expressions.condition(select.where, scope, QStringLiteral("WHERE clause")).sql;
        m_expressions.takeUngrouped();
    }
    const QStringList groups = groupBy(select, scope);
    for (const QString &group : groups)
        m_groupKeys.append(m_expressions.groupKey(group));
    m_expressions.setGroupKeys(m_groupKeys);

    m_expressions.beginClause(QStringLiteral("SELECT list"), true);
    QList<QList<ExpressionTranslator::Reference>> ungrouped;
    const QList<Output> outputs = selectList(select, scope, &ungrouped);
    QString having;
    if (select.having) {
        m_expressions.beginClause(QStringLiteral("HAVING clause"), true);
        having = QStringLiteral(" HAVING ") + m_expressions.condition(select.having, scope, QStringLiteral("HAVING clause")).sql;
        if (groups.isEmpty() && !m_expressions.sawAggregate())
            ExpressionTranslator::fail(QStringLiteral("HAVING clause requires GROUP BY or aggregation to be present"), select.having->token);
        checkGrouped(m_expressions.takeUngrouped(), QStringLiteral("HAVING clause"));
    }
    const bool aggregateQuery = !groups.isEmpty() || m_expressions.sawAggregate();
    const QString order = orderBy(select, scope, outputs, aggregateQuery);
    if (aggregateQuery) {
        for (const QList<ExpressionTranslator::Reference> &references : ungrouped)
            checkGrouped(references, QStringLiteral("SELECT list"));
    }
    const QString limit = this->limit(select, scope);

    Result result;
    QStringList items;
    QSet<QString> names;
    QStringList duplicates;
    int anonymous = 0;
    for (const Output &output : outputs) {
        QString name = output.name;
        if (name.isEmpty())
            name = QStringLiteral("f%1_").arg(anonymous++);
        if (names.contains(name.toLower()))
            duplicates.append(name);
        names.insert(name.toLower());
        if (select.distinct && !output.value.type.supportsEquality())
            throw GoogleError::invalidQuery(QStringLiteral("Column %1 of type %2 cannot be used in SELECT DISTINCT").arg(name, output.value.type.name()));
        items.append(output.value.sql + QStringLiteral(" AS ") + Catalog::columnName(name));
        result.schema.append(FieldSchema::fromType(name, output.value.type, output.value.required));
        result.types.append(output.value.type);
    }
    if (!duplicates.isEmpty()) {
        throw GoogleError::invalidQuery(
            QStringLiteral("Duplicate column names in the result are not supported. Found duplicate(s): %1").arg(duplicates.join(QStringLiteral(", "))));
    }
    QString group;
    if (!groups.isEmpty())
        group = QStringLiteral(" GROUP BY ") + groups.join(QStringLiteral(", "));
    result.sql = QStringLiteral("SELECT ") + (select.distinct ? QStringLiteral("DISTINCT ") : QString()) + items.join(QStringLiteral(", ")) + from
        + where + group + having + order + limit;
    return result;
}

} // namespace tf::emu
