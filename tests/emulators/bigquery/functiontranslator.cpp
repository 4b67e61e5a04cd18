#include "bigquery/functiontranslator.h"

#include "bigquery/googleerror.h"
#include "bigquery/scalarcodec.h"

#include <QHash>
#include <QSet>

namespace tf::emu {

namespace {

SqlType type(TypeKind kind)
{
    return SqlType::scalar(kind);
}

bool kindIs(const TypedSql &value, std::initializer_list<TypeKind> kinds)
{
    if (value.origin == TypedSql::Origin::NullLiteral)
        return true;
    for (TypeKind kind : kinds) {
        if (value.type.isScalar() && value.type.kind() == kind)
            return true;
    }
    return false;
}

QString joined(const QList<TypedSql> &values, const QString &separator = QStringLiteral(", "))
{
    QStringList parts;
    for (const TypedSql &value : values)
        parts.append(value.sql);
    return parts.join(separator);
}

// Microseconds per unit of TIMESTAMP_ADD / TIMESTAMP_DIFF (GoogleSQL timestamp functions).
qint64 microsPer(const QString &unit)
{
    static const QHash<QString, qint64> units{{QStringLiteral("MICROSECOND"), 1},
                                              {QStringLiteral("MILLISECOND"), 1000},
                                              {QStringLiteral("SECOND"), 1000000},
                                              {QStringLiteral("MINUTE"), 60000000LL},
                                              {QStringLiteral("HOUR"), 3600000000LL},
                                              {QStringLiteral("DAY"), 86400000000LL}};
    return units.value(unit.toUpper(), 0);
}

// Floor division for microsecond counts before 1970 (UNIX_SECONDS rounds down).
QString floorDiv(const QString &sql, qint64 divisor)
{
    return QStringLiteral("((%1 - ((%1 % %2) + %2) % %2) / %2)").arg(sql).arg(divisor);
}

} // namespace

FunctionTranslator::FunctionTranslator(ExpressionTranslator &expressions)
    : m_expressions(expressions)
{
}

void FunctionTranslator::noSignature(const Expr &call, const QList<TypedSql> &args, const QString &supported) const
{
    QStringList types;
    for (const TypedSql &arg : args)
        types.append(arg.origin == TypedSql::Origin::NullLiteral ? QStringLiteral("NULL") : arg.type.name());
    ExpressionTranslator::fail(QStringLiteral("No matching signature for function %1 for argument types: %2. Supported signature: %3")
                                   .arg(call.text, types.join(QStringLiteral(", ")), supported),
                               call.token);
}

TypedSql FunctionTranslator::make(const QString &sql, const SqlType &type) const
{
    TypedSql value;
    value.sql = sql;
    value.type = type;
    return value;
}

TypedSql FunctionTranslator::to(const Expr &call, const QList<TypedSql> &args, const TypedSql &value, const SqlType &type,
                                const QString &supported)
{
    if (std::optional<TypedSql> converted = m_expressions.coerce(value, type))
        return *converted;
    noSignature(call, args, supported);
}

void FunctionTranslator::expectCount(const Expr &call, const QList<TypedSql> &args, int min, int max, const QString &supported) const
{
    if (args.size() < min || args.size() > max)
        noSignature(call, args, supported);
}

TypedSql FunctionTranslator::translate(const Expr &call, const Scope &scope)
{
    static const QSet<QString> aggregates{QStringLiteral("COUNT"),       QStringLiteral("COUNTIF"),    QStringLiteral("SUM"),
                                          QStringLiteral("AVG"),         QStringLiteral("MIN"),        QStringLiteral("MAX"),
                                          QStringLiteral("ANY_VALUE"),   QStringLiteral("STRING_AGG"), QStringLiteral("LOGICAL_AND"),
                                          QStringLiteral("LOGICAL_OR"),  QStringLiteral("ARRAY_AGG")};
    if (aggregates.contains(call.text))
        return aggregate(call, scope);
    if (call.star || call.distinct)
        ExpressionTranslator::fail(QStringLiteral("%1 is only allowed in aggregate functions").arg(call.star ? QStringLiteral("*") : QStringLiteral("DISTINCT")),
                                   call.token);
    static const QSet<QString> dateParts{QStringLiteral("TIMESTAMP_ADD"), QStringLiteral("TIMESTAMP_SUB"), QStringLiteral("TIMESTAMP_DIFF"),
                                         QStringLiteral("DATE_ADD"), QStringLiteral("DATE_SUB"), QStringLiteral("DATE_DIFF")};
    if (dateParts.contains(call.text))
        return timestampArithmetic(call, scope);
    QList<TypedSql> args;
    for (const ExprPtr &arg : call.args)
        args.append(m_expressions.translate(arg, scope));
    return scalar(call, args);
}

TypedSql FunctionTranslator::aggregate(const Expr &call, const Scope &scope)
{
    ExpressionTranslator &e = m_expressions;
    if (e.m_aggregateDepth > 0)
        ExpressionTranslator::fail(QStringLiteral("Aggregations of aggregations are not allowed"), call.token);
    if (!e.m_aggregatesAllowed)
        ExpressionTranslator::fail(QStringLiteral("Aggregate function %1 not allowed in %2").arg(call.text, e.m_clause), call.token);
    e.m_sawAggregate = true;
    if (call.star) {
        if (call.text != QLatin1String("COUNT"))
            ExpressionTranslator::fail(QStringLiteral("Syntax error: Unexpected \"*\""), call.token);
        return make(QStringLiteral("COUNT(*)"), type(TypeKind::Int64));
    }
    ++e.m_aggregateDepth;
    QList<TypedSql> args;
    for (const ExprPtr &arg : call.args)
        args.append(e.translate(arg, scope));
    --e.m_aggregateDepth;
    const QString distinct = call.distinct ? QStringLiteral("DISTINCT ") : QString();
    if (call.distinct && !args.isEmpty() && !args.first().type.supportsEquality())
        ExpressionTranslator::fail(QStringLiteral("Aggregate functions with DISTINCT cannot be used with arguments of type %1")
                                       .arg(args.first().type.name()),
                                   call.token);
    const QString &name = call.text;
    if (name == QLatin1String("COUNT")) {
        expectCount(call, args, 1, 1, QStringLiteral("COUNT([DISTINCT] T); COUNT(*)"));
        return make(QStringLiteral("COUNT(%1%2)").arg(distinct, args.at(0).sql), type(TypeKind::Int64));
    }
    if (name == QLatin1String("COUNTIF")) {
        expectCount(call, args, 1, 1, QStringLiteral("COUNTIF(BOOL)"));
        const TypedSql condition = to(call, args, args.at(0), type(TypeKind::Bool), QStringLiteral("COUNTIF(BOOL)"));
        return make(QStringLiteral("COUNT(CASE WHEN %1 THEN 1 END)").arg(condition.sql), type(TypeKind::Int64));
    }
    if (name == QLatin1String("SUM") || name == QLatin1String("AVG")) {
        const QString supported = QStringLiteral("%1(INT64); %1(FLOAT64)").arg(name);
        expectCount(call, args, 1, 1, supported);
        if (!kindIs(args.at(0), {TypeKind::Int64, TypeKind::Float64})) {
            if (kindIs(args.at(0), {TypeKind::Numeric, TypeKind::BigNumeric}))
                ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not do arithmetic on %1").arg(args.at(0).type.name()), call.token);
            noSignature(call, args, supported);
        }
        const bool average = name == QLatin1String("AVG");
        const SqlType result = average || args.at(0).type.kind() == TypeKind::Float64 ? type(TypeKind::Float64) : type(TypeKind::Int64);
        return make(QStringLiteral("%1(%2%3)").arg(name, distinct, args.at(0).sql), result);
    }
    if (name == QLatin1String("MIN") || name == QLatin1String("MAX")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(T)").arg(name));
        if (!args.at(0).type.supportsOrdering())
            noSignature(call, args, QStringLiteral("%1(T) for orderable T").arg(name));
        return make(QStringLiteral("%1(%2)").arg(name, args.at(0).sql), args.at(0).type);
    }
    if (name == QLatin1String("ANY_VALUE")) {
        expectCount(call, args, 1, 1, QStringLiteral("ANY_VALUE(T)"));
        return make(QStringLiteral("MAX(%1)").arg(args.at(0).sql), args.at(0).type);
    }
    if (name == QLatin1String("LOGICAL_AND") || name == QLatin1String("LOGICAL_OR")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(BOOL)").arg(name));
        const TypedSql condition = to(call, args, args.at(0), type(TypeKind::Bool), QStringLiteral("%1(BOOL)").arg(name));
        return make(QStringLiteral("%1(%2)").arg(name == QLatin1String("LOGICAL_AND") ? QStringLiteral("MIN") : QStringLiteral("MAX"), condition.sql),
                    type(TypeKind::Bool));
    }
    if (name == QLatin1String("STRING_AGG")) {
        const QString supported = QStringLiteral("STRING_AGG(STRING[, STRING])");
        expectCount(call, args, 1, 2, supported);
        const TypedSql text = to(call, args, args.at(0), type(TypeKind::String), supported);
        if (call.distinct && args.size() == 2)
            ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not support STRING_AGG(DISTINCT ...) with a delimiter"), call.token);
        const QString delimiter = args.size() == 2 ? to(call, args, args.at(1), type(TypeKind::String), supported).sql : QStringLiteral("','");
        return make(QStringLiteral("group_concat(%1%2%3)").arg(distinct, text.sql, call.distinct ? QString() : QStringLiteral(", ") + delimiter),
                    type(TypeKind::String));
    }
    ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not support the aggregate function %1").arg(name), call.token);
}

TypedSql FunctionTranslator::timestampArithmetic(const Expr &call, const Scope &scope)
{
    const QString &name = call.text;
    const bool date = name.startsWith(QLatin1String("DATE"));
    const TypeKind kind = date ? TypeKind::Date : TypeKind::Timestamp;
    const QString kindName = SqlType::kindName(kind);
    if (name.endsWith(QLatin1String("_DIFF"))) {
        const QString supported = QStringLiteral("%1(%2, %2, DATE_TIME_PART)").arg(name, kindName);
        if (call.args.size() != 3 || call.args.at(2)->kind != ExprKind::Path || call.args.at(2)->path.size() != 1)
            ExpressionTranslator::fail(QStringLiteral("No matching signature for function %1. Supported signature: %2").arg(name, supported), call.token);
        QList<TypedSql> args{m_expressions.translate(call.args.at(0), scope), m_expressions.translate(call.args.at(1), scope)};
        const TypedSql a = to(call, args, args.at(0), type(kind), supported);
        const TypedSql b = to(call, args, args.at(1), type(kind), supported);
        const QString unit = call.args.at(2)->path.first().toUpper();
        if (date) {
            if (unit != QLatin1String("DAY"))
                ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator supports DATE_DIFF by DAY only"), call.args.at(2)->token);
            return make(QStringLiteral("CAST(julianday(%1) - julianday(%2) AS INTEGER)").arg(a.sql, b.sql), type(TypeKind::Int64));
        }
        const qint64 micros = microsPer(unit);
        if (micros == 0)
            ExpressionTranslator::fail(QStringLiteral("Unsupported date part %1 in function TIMESTAMP_DIFF").arg(unit), call.args.at(2)->token);
        return make(QStringLiteral("((%1 - %2) / %3)").arg(a.sql, b.sql).arg(micros), type(TypeKind::Int64));
    }
    const QString supported = QStringLiteral("%1(%2, INTERVAL INT64 DATE_TIME_PART)").arg(name, kindName);
    if (call.args.size() != 2 || call.args.at(1)->kind != ExprKind::Interval)
        ExpressionTranslator::fail(QStringLiteral("No matching signature for function %1. Supported signature: %2").arg(name, supported), call.token);
    QList<TypedSql> args{m_expressions.translate(call.args.at(0), scope), m_expressions.translate(call.args.at(1)->args.at(0), scope)};
    const TypedSql base = to(call, args, args.at(0), type(kind), supported);
    const TypedSql amount = to(call, args, args.at(1), type(TypeKind::Int64), supported);
    const QString unit = call.args.at(1)->text;
    const QString sign = name.endsWith(QLatin1String("_SUB")) ? QStringLiteral("-") : QStringLiteral("+");
    if (date) {
        const qint64 days = unit == QLatin1String("DAY") ? 1 : unit == QLatin1String("WEEK") ? 7 : 0;
        if (days == 0)
            ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator supports %1 with DAY and WEEK intervals only").arg(name),
                                       call.args.at(1)->token);
        return make(QStringLiteral("date(%1, (%2(%3 * %4)) || ' days')").arg(base.sql, sign, amount.sql).arg(days), type(TypeKind::Date));
    }
    const qint64 micros = microsPer(unit);
    if (micros == 0)
        ExpressionTranslator::fail(QStringLiteral("Unsupported date part %1 in function %2").arg(unit, name), call.args.at(1)->token);
    return make(QStringLiteral("(%1 %2 %3 * %4)").arg(base.sql, sign, amount.sql).arg(micros), type(TypeKind::Timestamp));
}

TypedSql FunctionTranslator::scalar(const Expr &call, const QList<TypedSql> &args)
{
    const QString &name = call.text;
    const QueryContext &context = m_expressions.context();
    const QString safe = call.safe ? QStringLiteral("1") : QStringLiteral("0");
    const auto arg = [&](int i, TypeKind kind, const QString &supported) { return to(call, args, args.at(i), type(kind), supported); };
    const auto unsupportedSafe = [&] {
        if (call.safe)
            ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not support SAFE.%1").arg(name), call.token);
    };

    if (name == QLatin1String("CURRENT_TIMESTAMP") || name == QLatin1String("CURRENT_DATE") || name == QLatin1String("CURRENT_DATETIME")
        || name == QLatin1String("CURRENT_TIME")) {
        expectCount(call, args, 0, 0, name + QStringLiteral("()"));
        if (name == QLatin1String("CURRENT_TIMESTAMP"))
            return m_expressions.bind(qlonglong(context.nowMicros), type(TypeKind::Timestamp));
        if (name == QLatin1String("CURRENT_DATE"))
            return m_expressions.bind(ScalarCodec::dateFromTimestamp(context.nowMicros), type(TypeKind::Date));
        const QString datetime = ScalarCodec::datetimeFromTimestamp(context.nowMicros);
        if (name == QLatin1String("CURRENT_DATETIME"))
            return m_expressions.bind(datetime, type(TypeKind::Datetime));
        return m_expressions.bind(datetime.mid(11), type(TypeKind::Time));
    }
    if (name == QLatin1String("GENERATE_UUID")) {
        expectCount(call, args, 0, 0, QStringLiteral("GENERATE_UUID()"));
        return make(QStringLiteral("tf_uuid()"), type(TypeKind::String));
    }
    if (name == QLatin1String("TO_JSON_STRING")) {
        expectCount(call, args, 1, 2, QStringLiteral("TO_JSON_STRING(ANY[, BOOL])"));
        if (args.size() == 2 && !(args.at(1).isConstant() && args.at(1).constant.toLongLong() == 0))
            ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not support pretty-printed TO_JSON_STRING"), call.token);
        if (args.at(0).type.name().contains(QLatin1String("GEOGRAPHY")))
            ExpressionTranslator::fail(QStringLiteral("tf-bigquery-emulator does not support TO_JSON_STRING of GEOGRAPHY (GeoJSON)"), call.token);
        return make(QStringLiteral("tf_to_json(%1, %2)").arg(ExpressionTranslator::typeId(args.at(0).type), args.at(0).sql), type(TypeKind::String));
    }
    if (name == QLatin1String("PARSE_JSON")) {
        expectCount(call, args, 1, 1, QStringLiteral("PARSE_JSON(STRING)"));
        const TypedSql text = arg(0, TypeKind::String, QStringLiteral("PARSE_JSON(STRING)"));
        return make(QStringLiteral("tf_cast(%1, %2, %3, %4)")
                        .arg(ExpressionTranslator::typeId(type(TypeKind::String)), ExpressionTranslator::typeId(type(TypeKind::Json)), safe, text.sql),
                    type(TypeKind::Json));
    }
    if (name == QLatin1String("JSON_VALUE") || name == QLatin1String("JSON_EXTRACT_SCALAR") || name == QLatin1String("JSON_QUERY")
        || name == QLatin1String("JSON_EXTRACT")) {
        unsupportedSafe();
        const QString supported = QStringLiteral("%1(JSON|STRING[, STRING])").arg(name);
        expectCount(call, args, 1, 2, supported);
        if (!kindIs(args.at(0), {TypeKind::Json, TypeKind::String}))
            noSignature(call, args, supported);
        const QString path = args.size() == 2 ? arg(1, TypeKind::String, supported).sql : m_expressions.bind(QStringLiteral("$"), type(TypeKind::String)).sql;
        const bool query = name == QLatin1String("JSON_QUERY") || name == QLatin1String("JSON_EXTRACT");
        const SqlType result = query && args.at(0).type.kind() == TypeKind::Json ? type(TypeKind::Json) : type(TypeKind::String);
        return make(QStringLiteral("tf_json(%1, %2, %3)").arg(query ? 0 : 1).arg(args.at(0).sql, path), result);
    }
    if (name == QLatin1String("FARM_FINGERPRINT")) {
        expectCount(call, args, 1, 1, QStringLiteral("FARM_FINGERPRINT(STRING|BYTES)"));
        if (!kindIs(args.at(0), {TypeKind::String, TypeKind::Bytes}))
            noSignature(call, args, QStringLiteral("FARM_FINGERPRINT(STRING); FARM_FINGERPRINT(BYTES)"));
        return make(QStringLiteral("tf_farm_fingerprint(%1)").arg(args.at(0).sql), type(TypeKind::Int64));
    }
    if (name == QLatin1String("SHA256") || name == QLatin1String("SHA1") || name == QLatin1String("SHA512") || name == QLatin1String("MD5")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(STRING|BYTES)").arg(name));
        if (!kindIs(args.at(0), {TypeKind::String, TypeKind::Bytes}))
            noSignature(call, args, QStringLiteral("%1(STRING); %1(BYTES)").arg(name));
        return make(QStringLiteral("tf_hash('%1', %2)").arg(name, args.at(0).sql), type(TypeKind::Bytes));
    }
    if (name == QLatin1String("TO_HEX") || name == QLatin1String("TO_BASE64")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(BYTES)").arg(name));
        const TypedSql bytes = arg(0, TypeKind::Bytes, QStringLiteral("%1(BYTES)").arg(name));
        return make(QStringLiteral("tf_codec('%1', %2, 0)").arg(name, bytes.sql), type(TypeKind::String));
    }
    if (name == QLatin1String("FROM_HEX") || name == QLatin1String("FROM_BASE64")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(STRING)").arg(name));
        const TypedSql text = arg(0, TypeKind::String, QStringLiteral("%1(STRING)").arg(name));
        return make(QStringLiteral("tf_codec('%1', %2, %3)").arg(name, text.sql, safe), type(TypeKind::Bytes));
    }
    if (name == QLatin1String("LOWER") || name == QLatin1String("UPPER")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(STRING); %1(BYTES)").arg(name));
        if (!kindIs(args.at(0), {TypeKind::String, TypeKind::Bytes}))
            noSignature(call, args, QStringLiteral("%1(STRING); %1(BYTES)").arg(name));
        return make(QStringLiteral("tf_codec('%1', %2, 0)").arg(name, args.at(0).sql), args.at(0).type);
    }
    if (name == QLatin1String("LENGTH") || name == QLatin1String("CHAR_LENGTH") || name == QLatin1String("CHARACTER_LENGTH")
        || name == QLatin1String("BYTE_LENGTH")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(STRING); %1(BYTES)").arg(name));
        if (!kindIs(args.at(0), {TypeKind::String, TypeKind::Bytes}) || (name.startsWith(QLatin1String("CHAR")) && args.at(0).type.kind() != TypeKind::String))
            noSignature(call, args, QStringLiteral("%1(STRING); %1(BYTES)").arg(name));
        const bool bytes = name == QLatin1String("BYTE_LENGTH") && args.at(0).type.kind() == TypeKind::String;
        return make(bytes ? QStringLiteral("length(CAST(%1 AS BLOB))").arg(args.at(0).sql) : QStringLiteral("length(%1)").arg(args.at(0).sql),
                    type(TypeKind::Int64));
    }
    if (name == QLatin1String("TRIM") || name == QLatin1String("LTRIM") || name == QLatin1String("RTRIM")) {
        const QString supported = QStringLiteral("%1(STRING[, STRING])").arg(name);
        expectCount(call, args, 1, 2, supported);
        const TypedSql text = arg(0, TypeKind::String, supported);
        // Without a set GoogleSQL trims whitespace, not only spaces.
        const QString characters = args.size() == 2 ? arg(1, TypeKind::String, supported).sql
                                                     : m_expressions.bind(QStringLiteral(" \t\n\r\f\v"), type(TypeKind::String)).sql;
        return make(QStringLiteral("%1(%2, %3)").arg(name.toLower(), text.sql, characters), type(TypeKind::String));
    }
    if (name == QLatin1String("CONCAT")) {
        if (args.isEmpty())
            noSignature(call, args, QStringLiteral("CONCAT(STRING, ...); CONCAT(BYTES, ...)"));
        const QList<TypedSql> parts = m_expressions.unify(args, QStringLiteral("CONCAT"), call.token);
        if (!kindIs(parts.first(), {TypeKind::String, TypeKind::Bytes}))
            noSignature(call, args, QStringLiteral("CONCAT(STRING, ...); CONCAT(BYTES, ...)"));
        const QString sql = QStringLiteral("(%1)").arg(joined(parts, QStringLiteral(" || ")));
        return make(parts.first().type.kind() == TypeKind::Bytes ? QStringLiteral("CAST(%1 AS BLOB)").arg(sql) : sql, parts.first().type);
    }
    if (name == QLatin1String("SUBSTR") || name == QLatin1String("SUBSTRING")) {
        const QString supported = QStringLiteral("%1(STRING, INT64[, INT64])").arg(name);
        expectCount(call, args, 2, 3, supported);
        const TypedSql text = arg(0, TypeKind::String, supported);
        const TypedSql position = arg(1, TypeKind::Int64, supported);
        // GoogleSQL treats position 0 like 1; SQLite's position 0 is before the first character.
        const QString start = QStringLiteral("(CASE WHEN %1 = 0 THEN 1 ELSE %1 END)").arg(position.sql);
        if (args.size() == 3)
            return make(QStringLiteral("substr(%1, %2, %3)").arg(text.sql, start, arg(2, TypeKind::Int64, supported).sql), type(TypeKind::String));
        return make(QStringLiteral("substr(%1, %2)").arg(text.sql, start), type(TypeKind::String));
    }
    if (name == QLatin1String("STARTS_WITH") || name == QLatin1String("ENDS_WITH") || name == QLatin1String("STRPOS")) {
        const QString supported = QStringLiteral("%1(STRING, STRING)").arg(name);
        expectCount(call, args, 2, 2, supported);
        const TypedSql a = arg(0, TypeKind::String, supported);
        const TypedSql b = arg(1, TypeKind::String, supported);
        if (name == QLatin1String("STRPOS"))
            return make(QStringLiteral("instr(%1, %2)").arg(a.sql, b.sql), type(TypeKind::Int64));
        if (name == QLatin1String("STARTS_WITH"))
            return make(QStringLiteral("(substr(%1, 1, length(%2)) = %2)").arg(a.sql, b.sql), type(TypeKind::Bool));
        return make(QStringLiteral("(length(%2) = 0 OR substr(%1, -length(%2)) = %2)").arg(a.sql, b.sql), type(TypeKind::Bool));
    }
    if (name == QLatin1String("REPLACE")) {
        const QString supported = QStringLiteral("REPLACE(STRING, STRING, STRING)");
        expectCount(call, args, 3, 3, supported);
        return make(QStringLiteral("replace(%1, %2, %3)")
                        .arg(arg(0, TypeKind::String, supported).sql, arg(1, TypeKind::String, supported).sql, arg(2, TypeKind::String, supported).sql),
                    type(TypeKind::String));
    }
    if (name == QLatin1String("REGEXP_CONTAINS")) {
        unsupportedSafe();
        const QString supported = QStringLiteral("REGEXP_CONTAINS(STRING, STRING)");
        expectCount(call, args, 2, 2, supported);
        return make(QStringLiteral("tf_regexp_contains(%1, %2)").arg(arg(0, TypeKind::String, supported).sql, arg(1, TypeKind::String, supported).sql),
                    type(TypeKind::Bool));
    }
    if (name == QLatin1String("ARRAY_LENGTH")) {
        expectCount(call, args, 1, 1, QStringLiteral("ARRAY_LENGTH(ARRAY)"));
        if (!args.at(0).type.isArray() && args.at(0).origin != TypedSql::Origin::NullLiteral)
            noSignature(call, args, QStringLiteral("ARRAY_LENGTH(ARRAY)"));
        return make(QStringLiteral("json_array_length(%1)").arg(args.at(0).sql), type(TypeKind::Int64));
    }
    if (name == QLatin1String("ARRAY_TO_STRING")) {
        const QString supported = QStringLiteral("ARRAY_TO_STRING(ARRAY<STRING>, STRING)");
        expectCount(call, args, 2, 2, supported);
        if (args.at(0).type != SqlType::arrayOf(type(TypeKind::String)))
            noSignature(call, args, supported);
        const TypedSql delimiter = arg(1, TypeKind::String, supported);
        return make(QStringLiteral("(CASE WHEN %1 IS NULL THEN NULL ELSE COALESCE((SELECT group_concat(value, %2) FROM json_each(%1)), '') END)")
                        .arg(args.at(0).sql, delimiter.sql),
                    type(TypeKind::String));
    }
    if (name == QLatin1String("COALESCE") || name == QLatin1String("IFNULL") || name == QLatin1String("GREATEST") || name == QLatin1String("LEAST")) {
        if (args.isEmpty() || (name == QLatin1String("IFNULL") && args.size() != 2))
            noSignature(call, args, QStringLiteral("%1(T, ...)").arg(name));
        const QList<TypedSql> values = m_expressions.unify(args, name, call.token);
        if ((name == QLatin1String("GREATEST") || name == QLatin1String("LEAST")) && !values.first().type.supportsOrdering())
            noSignature(call, args, QStringLiteral("%1(T, ...) for orderable T").arg(name));
        if (values.size() == 1)
            return make(values.first().sql, values.first().type);
        const QString function = name == QLatin1String("GREATEST") ? QStringLiteral("max") : name == QLatin1String("LEAST") ? QStringLiteral("min") : name;
        return make(QStringLiteral("%1(%2)").arg(function, joined(values)), values.first().type);
    }
    if (name == QLatin1String("NULLIF")) {
        expectCount(call, args, 2, 2, QStringLiteral("NULLIF(T, T)"));
        const QList<TypedSql> values = m_expressions.unify(args, name, call.token);
        if (!values.first().type.supportsEquality())
            noSignature(call, args, QStringLiteral("NULLIF(T, T) for T supporting equality"));
        return make(QStringLiteral("NULLIF(%1, %2)").arg(values.at(0).sql, values.at(1).sql), values.first().type);
    }
    if (name == QLatin1String("IF")) {
        expectCount(call, args, 3, 3, QStringLiteral("IF(BOOL, T, T)"));
        const TypedSql condition = arg(0, TypeKind::Bool, QStringLiteral("IF(BOOL, T, T)"));
        const QList<TypedSql> values = m_expressions.unify({args.at(1), args.at(2)}, name, call.token);
        return make(QStringLiteral("(CASE WHEN %1 THEN %2 ELSE %3 END)").arg(condition.sql, values.at(0).sql, values.at(1).sql), values.first().type);
    }
    if (name == QLatin1String("ABS") || name == QLatin1String("SIGN")) {
        expectCount(call, args, 1, 1, QStringLiteral("%1(INT64); %1(FLOAT64)").arg(name));
        if (!kindIs(args.at(0), {TypeKind::Int64, TypeKind::Float64}))
            noSignature(call, args, QStringLiteral("%1(INT64); %1(FLOAT64)").arg(name));
        return make(QStringLiteral("%1(%2)").arg(name.toLower(), args.at(0).sql), args.at(0).type);
    }
    if (name == QLatin1String("ROUND") || name == QLatin1String("FLOOR") || name == QLatin1String("CEIL") || name == QLatin1String("CEILING")
        || name == QLatin1String("TRUNC") || name == QLatin1String("SQRT") || name == QLatin1String("LN") || name == QLatin1String("LOG10")
        || name == QLatin1String("EXP")) {
        const QString supported = QStringLiteral("%1(FLOAT64%2)").arg(name, name == QLatin1String("ROUND") ? QStringLiteral("[, INT64]") : QString());
        expectCount(call, args, 1, name == QLatin1String("ROUND") ? 2 : 1, supported);
        const TypedSql value = arg(0, TypeKind::Float64, supported);
        if (args.size() == 2)
            return make(QStringLiteral("round(%1, %2)").arg(value.sql, arg(1, TypeKind::Int64, supported).sql), type(TypeKind::Float64));
        const QString function = name == QLatin1String("CEILING") ? QStringLiteral("ceil") : name.toLower();
        return make(QStringLiteral("CAST(%1(%2) AS REAL)").arg(function, value.sql), type(TypeKind::Float64));
    }
    if (name == QLatin1String("POW") || name == QLatin1String("POWER")) {
        const QString supported = QStringLiteral("%1(FLOAT64, FLOAT64)").arg(name);
        expectCount(call, args, 2, 2, supported);
        return make(QStringLiteral("pow(%1, %2)").arg(arg(0, TypeKind::Float64, supported).sql, arg(1, TypeKind::Float64, supported).sql),
                    type(TypeKind::Float64));
    }
    if (name == QLatin1String("DIV") || name == QLatin1String("MOD")) {
        const QString supported = QStringLiteral("%1(INT64, INT64)").arg(name);
        expectCount(call, args, 2, 2, supported);
        const TypedSql a = arg(0, TypeKind::Int64, supported);
        const TypedSql b = arg(1, TypeKind::Int64, supported);
        const QString quotient = QStringLiteral("tf_int_div(%1, %2, %3)").arg(a.sql, b.sql, safe);
        if (name == QLatin1String("DIV"))
            return make(quotient, type(TypeKind::Int64));
        return make(QStringLiteral("(%1 - %2 * %3)").arg(a.sql, quotient, b.sql), type(TypeKind::Int64));
    }
    if (name == QLatin1String("SAFE_DIVIDE")) {
        const QString supported = QStringLiteral("SAFE_DIVIDE(FLOAT64, FLOAT64)");
        expectCount(call, args, 2, 2, supported);
        return make(QStringLiteral("tf_div(%1, %2, 1)").arg(arg(0, TypeKind::Float64, supported).sql, arg(1, TypeKind::Float64, supported).sql),
                    type(TypeKind::Float64));
    }
    if (name == QLatin1String("TIMESTAMP_MICROS") || name == QLatin1String("TIMESTAMP_MILLIS") || name == QLatin1String("TIMESTAMP_SECONDS")) {
        const QString supported = QStringLiteral("%1(INT64)").arg(name);
        expectCount(call, args, 1, 1, supported);
        const qint64 factor = name.endsWith(QLatin1String("MICROS")) ? 1 : name.endsWith(QLatin1String("MILLIS")) ? 1000 : 1000000;
        return make(QStringLiteral("(%1 * %2)").arg(arg(0, TypeKind::Int64, supported).sql).arg(factor), type(TypeKind::Timestamp));
    }
    if (name == QLatin1String("UNIX_MICROS") || name == QLatin1String("UNIX_MILLIS") || name == QLatin1String("UNIX_SECONDS")) {
        const QString supported = QStringLiteral("%1(TIMESTAMP)").arg(name);
        expectCount(call, args, 1, 1, supported);
        const TypedSql stamp = arg(0, TypeKind::Timestamp, supported);
        const qint64 divisor = name.endsWith(QLatin1String("MICROS")) ? 1 : name.endsWith(QLatin1String("MILLIS")) ? 1000 : 1000000;
        return make(divisor == 1 ? stamp.sql : floorDiv(stamp.sql, divisor), type(TypeKind::Int64));
    }
    if (name == QLatin1String("TIMESTAMP") || name == QLatin1String("DATE") || name == QLatin1String("DATETIME")) {
        const TypeKind target = *SqlType::scalarKind(name);
        const QString supported = QStringLiteral("%1(STRING|DATE|DATETIME|TIMESTAMP)").arg(name);
        expectCount(call, args, 1, 1, supported);
        if (!kindIs(args.at(0), {TypeKind::String, TypeKind::Date, TypeKind::Datetime, TypeKind::Timestamp})
            || (target == TypeKind::Date && args.at(0).type.kind() == TypeKind::String))
            noSignature(call, args, supported);
        if (args.at(0).type.kind() == target)
            return make(args.at(0).sql, args.at(0).type);
        return make(QStringLiteral("tf_cast(%1, %2, %3, %4)").arg(ExpressionTranslator::typeId(args.at(0).type), ExpressionTranslator::typeId(type(target)), safe, args.at(0).sql),
                    type(target));
    }
    ExpressionTranslator::fail(QStringLiteral("Function not found: %1").arg(name), call.token);
}

} // namespace tf::emu
