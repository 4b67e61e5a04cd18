#include "bigquery/expressiontranslator.h"

#include "bigquery/functiontranslator.h"
#include "bigquery/googleerror.h"
#include "bigquery/scalarcodec.h"
#include "bigquery/typeregistry.h"
#include "bigquery/valuecaster.h"

#include <algorithm>

namespace tf::emu {

namespace {

QString typeList(const QList<TypedSql> &values)
{
    QStringList names;
    for (const TypedSql &value : values)
        names.append(value.type.name());
    return names.join(QStringLiteral(", "));
}

bool isDateLike(TypeKind kind)
{
    return kind == TypeKind::Date || kind == TypeKind::Datetime || kind == TypeKind::Time || kind == TypeKind::Timestamp;
}

// GoogleSQL's implicit conversions between types (conversion rules: "coercion"); constants (literals and
// parameters) also coerce from STRING to the date and time types.
bool typeCoercible(const SqlType &from, const SqlType &to, bool constant)
{
    if (from == to)
        return true;
    if (from.isArray() || to.isArray())
        return from.isArray() && to.isArray() && typeCoercible(from.element(), to.element(), constant);
    if (from.isStruct() || to.isStruct()) {
        if (!from.isStruct() || !to.isStruct() || from.members().size() != to.members().size())
            return false;
        for (qsizetype i = 0; i < from.members().size(); ++i) {
            if (!typeCoercible(from.members().at(i).type, to.members().at(i).type, constant))
                return false;
        }
        return true;
    }
    switch (from.kind()) {
    case TypeKind::Int64:
        return to.kind() == TypeKind::Float64 || to.kind() == TypeKind::Numeric || to.kind() == TypeKind::BigNumeric;
    case TypeKind::Numeric:
        return to.kind() == TypeKind::BigNumeric || to.kind() == TypeKind::Float64;
    case TypeKind::BigNumeric:
        return to.kind() == TypeKind::Float64;
    case TypeKind::Date:
        return to.kind() == TypeKind::Datetime;
    case TypeKind::String:
        return constant && isDateLike(to.kind());
    default:
        return false;
    }
}

} // namespace

ExpressionTranslator::ExpressionTranslator(const QueryContext &context, SqlBindings &bindings)
    : m_context(context)
    , m_bindings(bindings)
{
}

void ExpressionTranslator::fail(const QString &message, const SqlToken &at)
{
    throw GoogleError::invalidQuery(QStringLiteral("%1 at %2").arg(message, at.position()));
}

void ExpressionTranslator::beginClause(const QString &clause, bool aggregatesAllowed)
{
    m_clause = clause;
    m_aggregatesAllowed = aggregatesAllowed;
    m_ungrouped.clear();
}

void ExpressionTranslator::setGroupKeys(const QStringList &keys)
{
    m_groupKeys = keys;
}

QString ExpressionTranslator::groupKey(const QString &sql) const
{
    // Placeholders differ between two spellings of the same expression; their values do not.
    QString key;
    qsizetype i = 0;
    while (i < sql.size()) {
        if (sql.at(i) == QLatin1Char('?') && i + 1 < sql.size() && sql.at(i + 1).isDigit()) {
            qsizetype end = i + 1;
            while (end < sql.size() && sql.at(end).isDigit())
                ++end;
            const QVariant value = m_bindings.values().value(sql.mid(i + 1, end - i - 1).toLongLong() - 1);
            key += QStringLiteral("<%1:%2>").arg(value.typeName(), value.toString());
            i = end;
        } else {
            key += sql.at(i++);
        }
    }
    return key;
}

QList<ExpressionTranslator::Reference> ExpressionTranslator::takeUngrouped()
{
    QList<Reference> references = m_ungrouped;
    m_ungrouped.clear();
    return references;
}

QString ExpressionTranslator::typeId(const SqlType &type)
{
    return QString::number(TypeRegistry::idOf(type));
}

QString ExpressionTranslator::elementSql(const QString &raw, const SqlType &type)
{
    switch (type.kind()) {
    case TypeKind::Int64:
    case TypeKind::Timestamp:
        return QStringLiteral("CAST(%1 AS INTEGER)").arg(raw);
    case TypeKind::Float64:
    case TypeKind::Bytes:
        return QStringLiteral("tf_element(%1, %2)").arg(typeId(type), raw);
    default:
        return raw;
    }
}

TypedSql ExpressionTranslator::bind(const QVariant &storage, const SqlType &type, TypedSql::Origin origin)
{
    TypedSql value;
    value.sql = m_bindings.add(storage);
    value.type = type;
    value.origin = origin;
    value.constant = storage;
    return value;
}

TypedSql ExpressionTranslator::translate(const ExprPtr &expr, const Scope &scope)
{
    const qsizetype mark = m_ungrouped.size();
    TypedSql result = translateNode(*expr, scope);
    if (m_aggregateDepth == 0 && !m_groupKeys.isEmpty() && m_groupKeys.contains(groupKey(result.sql)))
        m_ungrouped.resize(mark);
    return result;
}

TypedSql ExpressionTranslator::condition(const ExprPtr &expr, const Scope &scope, const QString &clause)
{
    TypedSql value = translate(expr, scope);
    if (value.origin != TypedSql::Origin::NullLiteral && value.type.kind() != TypeKind::Bool)
        fail(QStringLiteral("%1 should return type BOOL, but returns %2").arg(clause, value.type.name()), expr->token);
    return value;
}

TypedSql ExpressionTranslator::translateNode(const Expr &expr, const Scope &scope)
{
    switch (expr.kind) {
    case ExprKind::NullLiteral: {
        TypedSql value;
        value.sql = QStringLiteral("NULL");
        value.origin = TypedSql::Origin::NullLiteral;
        return value;
    }
    case ExprKind::BoolLiteral:
    case ExprKind::IntegerLiteral:
    case ExprKind::FloatLiteral:
    case ExprKind::StringLiteral:
    case ExprKind::BytesLiteral:
    case ExprKind::TypedLiteral:
        return literal(expr);
    case ExprKind::Default:
        fail(QStringLiteral("DEFAULT is only allowed as a value of INSERT VALUES or UPDATE SET"), expr.token);
    case ExprKind::Parameter:
        return parameter(expr);
    case ExprKind::Path:
        return path(expr, scope);
    case ExprKind::FieldAccess:
        return fieldAccess(translate(expr.args.at(0), scope), expr.text, expr.token);
    case ExprKind::Subscript:
        return subscript(expr, scope);
    case ExprKind::Unary:
        return unary(expr, scope);
    case ExprKind::Binary:
        return binary(expr, scope);
    case ExprKind::IsNull:
    case ExprKind::IsBool:
    case ExprKind::IsDistinct:
    case ExprKind::Like:
    case ExprKind::Between:
    case ExprKind::InList:
        return predicate(expr, scope);
    case ExprKind::InUnnest:
        return inUnnest(expr, scope);
    case ExprKind::Function:
        return FunctionTranslator(*this).translate(expr, scope);
    case ExprKind::Cast:
        return cast(expr, scope);
    case ExprKind::Case:
        return caseExpression(expr, scope);
    case ExprKind::ArrayLiteral:
        return arrayLiteral(expr, scope);
    case ExprKind::StructLiteral:
        return structLiteral(expr, scope);
    case ExprKind::Interval:
        fail(QStringLiteral("INTERVAL is only supported as an argument of TIMESTAMP_ADD, TIMESTAMP_SUB, DATE_ADD and DATE_SUB"),
             expr.token);
    }
    fail(QStringLiteral("Unsupported expression"), expr.token);
}

TypedSql ExpressionTranslator::literal(const Expr &expr)
{
    switch (expr.kind) {
    case ExprKind::BoolLiteral:
        return bind(qlonglong(expr.text == QLatin1String("true") ? 1 : 0), SqlType::scalar(TypeKind::Bool), TypedSql::Origin::Literal);
    case ExprKind::IntegerLiteral: {
        const std::optional<qint64> value = ScalarCodec::parseInt64(expr.text);
        if (!value)
            fail(QStringLiteral("Invalid integer literal: %1").arg(expr.text), expr.token);
        return bind(qlonglong(*value), SqlType::scalar(TypeKind::Int64), TypedSql::Origin::Literal);
    }
    case ExprKind::FloatLiteral:
        return bind(*ScalarCodec::parseFloat(expr.text), SqlType::scalar(TypeKind::Float64), TypedSql::Origin::Literal);
    case ExprKind::StringLiteral:
        return bind(expr.text, SqlType::scalar(TypeKind::String), TypedSql::Origin::Literal);
    case ExprKind::BytesLiteral:
        return bind(expr.bytes, SqlType::scalar(TypeKind::Bytes), TypedSql::Origin::Literal);
    default: {
        const std::optional<QVariant> value = ScalarCodec::parse(expr.type->kind(), expr.text);
        if (!value)
            fail(QStringLiteral("Could not cast literal \"%1\" to type %2").arg(expr.text, expr.type->name()), expr.token);
        return bind(*value, *expr.type, TypedSql::Origin::Literal);
    }
    }
}

TypedSql ExpressionTranslator::parameter(const Expr &expr)
{
    QueryParameter parameter;
    if (expr.index >= 0) {
        if (expr.index >= m_context.positional.size())
            fail(QStringLiteral("Query parameter number %1 is not defined").arg(expr.index + 1), expr.token);
        parameter = m_context.positional.at(expr.index);
    } else {
        const auto found = m_context.named.constFind(expr.text.toLower());
        if (found == m_context.named.constEnd())
            fail(QStringLiteral("Query parameter '%1' not found").arg(expr.text), expr.token);
        parameter = *found;
    }
    return bind(parameter.value, parameter.type, TypedSql::Origin::Parameter);
}

TypedSql ExpressionTranslator::path(const Expr &expr, const Scope &scope)
{
    const Scope::Resolution resolved = scope.resolve(expr.path, expr.token);
    TypedSql value;
    value.sql = resolved.column.sql;
    value.type = resolved.column.type;
    value.required = resolved.column.required;
    value.name = resolved.column.name;
    if (m_aggregateDepth == 0)
        m_ungrouped.append(Reference{expr.path.join(QLatin1Char('.')), expr.token});
    for (int i = resolved.consumed; i < expr.path.size(); ++i)
        value = fieldAccess(value, expr.path.at(i), expr.token);
    return value;
}

TypedSql ExpressionTranslator::fieldAccess(const TypedSql &base, const QString &field, const SqlToken &at)
{
    if (!base.type.isStruct())
        fail(QStringLiteral("Cannot access field %1 on a value with type %2").arg(field, base.type.name()), at);
    const QList<StructMember> &members = base.type.members();
    for (qsizetype i = 0; i < members.size(); ++i) {
        if (members.at(i).name.compare(field, Qt::CaseInsensitive) != 0)
            continue;
        TypedSql value;
        value.type = members.at(i).type;
        value.name = members.at(i).name;
        value.sql = elementSql(QStringLiteral("json_extract(%1, '$[%2]')").arg(base.sql).arg(i), value.type);
        if (value.type.isArray())
            value.sql = QStringLiteral("COALESCE(%1, '[]')").arg(value.sql); // a NULL struct's array reads as []
        return value;
    }
    fail(QStringLiteral("Field name %1 does not exist in %2").arg(field, base.type.name()), at);
}

TypedSql ExpressionTranslator::subscript(const Expr &expr, const Scope &scope)
{
    const TypedSql array = translate(expr.args.at(0), scope);
    if (!array.type.isArray())
        fail(QStringLiteral("Element access using [] is not supported on values of type %1").arg(array.type.name()), expr.token);
    const TypedSql index = coerceOrFail(translate(expr.args.at(1), scope), SqlType::scalar(TypeKind::Int64), [&](const SqlType &type) {
        return QStringLiteral("Array position in [] must be coercible to INT64 type, but has type %1").arg(type.name());
    });
    static const QStringList modes{QStringLiteral("OFFSET"), QStringLiteral("SAFE_OFFSET"), QStringLiteral("ORDINAL"),
                                   QStringLiteral("SAFE_ORDINAL")};
    TypedSql value;
    value.type = array.type.element();
    value.sql = QStringLiteral("tf_subscript(%1, %2, %3, %4)").arg(typeId(value.type), array.sql, index.sql).arg(modes.indexOf(expr.text));
    return value;
}

TypedSql ExpressionTranslator::boolOperand(const TypedSql &value, const QString &op, const SqlToken &at)
{
    if (value.origin == TypedSql::Origin::NullLiteral || value.type.kind() == TypeKind::Bool)
        return value;
    fail(QStringLiteral("No matching signature for operator %1 for argument types: %2. Supported signature: %1 (BOOL)")
             .arg(op, value.type.name()),
         at);
}

TypedSql ExpressionTranslator::unary(const Expr &expr, const Scope &scope)
{
    const TypedSql operand = translate(expr.args.at(0), scope);
    TypedSql value;
    if (expr.text == QLatin1String("NOT")) {
        value.sql = QStringLiteral("(NOT %1)").arg(boolOperand(operand, QStringLiteral("NOT"), expr.token).sql);
        value.type = SqlType::scalar(TypeKind::Bool);
        return value;
    }
    const TypeKind kind = operand.origin == TypedSql::Origin::NullLiteral ? TypeKind::Int64 : operand.type.kind();
    const bool integer = kind == TypeKind::Int64;
    if (!(integer || (kind == TypeKind::Float64 && expr.text != QLatin1String("~")))) {
        if (kind == TypeKind::Numeric || kind == TypeKind::BigNumeric)
            fail(QStringLiteral("tf-bigquery-emulator does not do arithmetic on %1").arg(operand.type.name()), expr.token);
        fail(QStringLiteral("No matching signature for operator %1 for argument types: %2").arg(expr.text, operand.type.name()), expr.token);
    }
    value.type = SqlType::scalar(kind);
    value.sql = expr.text == QLatin1String("+") ? operand.sql : QStringLiteral("(%1%2)").arg(expr.text, operand.sql);
    return value;
}

TypedSql ExpressionTranslator::binary(const Expr &expr, const Scope &scope)
{
    const TypedSql left = translate(expr.args.at(0), scope);
    const TypedSql right = translate(expr.args.at(1), scope);
    const QString &op = expr.text;
    TypedSql value;
    if (op == QLatin1String("AND") || op == QLatin1String("OR")) {
        value.sql = QStringLiteral("(%1 %2 %3)").arg(boolOperand(left, op, expr.token).sql, op, boolOperand(right, op, expr.token).sql);
        value.type = SqlType::scalar(TypeKind::Bool);
        return value;
    }
    static const QStringList comparisons{QStringLiteral("="), QStringLiteral("!="), QStringLiteral("<"), QStringLiteral("<="),
                                         QStringLiteral(">"), QStringLiteral(">=")};
    if (comparisons.contains(op))
        return comparison(expr, left, right);
    if (op == QLatin1String("||")) {
        const QList<TypedSql> both = unify({left, right}, op, expr.token);
        const TypeKind kind = both.at(0).type.kind();
        if (kind != TypeKind::String && kind != TypeKind::Bytes)
            fail(QStringLiteral("No matching signature for operator || for argument types: %1").arg(typeList({left, right})), expr.token);
        value.type = both.at(0).type;
        value.sql = kind == TypeKind::Bytes ? QStringLiteral("CAST((%1 || %2) AS BLOB)").arg(both.at(0).sql, both.at(1).sql)
                                            : QStringLiteral("(%1 || %2)").arg(both.at(0).sql, both.at(1).sql);
        return value;
    }
    static const QStringList bitwise{QStringLiteral("&"), QStringLiteral("|"), QStringLiteral("^"), QStringLiteral("<<"), QStringLiteral(">>")};
    if (bitwise.contains(op)) {
        const TypedSql a = coerceOrFail(left, SqlType::scalar(TypeKind::Int64), [&](const SqlType &) {
            return QStringLiteral("No matching signature for operator %1 for argument types: %2").arg(op, typeList({left, right}));
        });
        const TypedSql b = coerceOrFail(right, SqlType::scalar(TypeKind::Int64), [&](const SqlType &) {
            return QStringLiteral("No matching signature for operator %1 for argument types: %2").arg(op, typeList({left, right}));
        });
        value.type = SqlType::scalar(TypeKind::Int64);
        value.sql = op == QLatin1String("^") ? QStringLiteral("((%1 | %2) - (%1 & %2))").arg(a.sql, b.sql)
                                             : QStringLiteral("(%1 %2 %3)").arg(a.sql, op, b.sql);
        return value;
    }
    return arithmetic(expr, left, right);
}

TypedSql ExpressionTranslator::comparison(const Expr &expr, const TypedSql &left, const TypedSql &right)
{
    const QList<TypedSql> both = unify({left, right}, expr.text, expr.token);
    const SqlType &type = both.at(0).type;
    const bool equality = expr.text == QLatin1String("=") || expr.text == QLatin1String("!=");
    if (equality && !type.supportsEquality())
        fail(QStringLiteral("Equality is not defined for arguments of type %1").arg(type.name()), expr.token);
    if (!equality && !type.supportsOrdering())
        fail(QStringLiteral("Less than is not defined for arguments of type %1").arg(type.name()), expr.token);
    TypedSql value;
    value.type = SqlType::scalar(TypeKind::Bool);
    value.sql = QStringLiteral("(%1 %2 %3)").arg(both.at(0).sql, expr.text == QLatin1String("!=") ? QStringLiteral("<>") : expr.text,
                                                both.at(1).sql);
    return value;
}

TypedSql ExpressionTranslator::arithmetic(const Expr &expr, const TypedSql &left, const TypedSql &right)
{
    const QString &op = expr.text;
    const auto numeric = [](const TypedSql &v) {
        return v.origin == TypedSql::Origin::NullLiteral || v.type.kind() == TypeKind::Int64 || v.type.kind() == TypeKind::Float64;
    };
    if (!numeric(left) || !numeric(right)) {
        for (const TypedSql &v : {left, right}) {
            if (v.type.kind() == TypeKind::Numeric || v.type.kind() == TypeKind::BigNumeric)
                fail(QStringLiteral("tf-bigquery-emulator does not do arithmetic on %1").arg(v.type.name()), expr.token);
            if (isDateLike(v.type.kind()))
                fail(QStringLiteral("tf-bigquery-emulator does not do date arithmetic with %1; use TIMESTAMP_ADD, "
                                    "TIMESTAMP_SUB, DATE_ADD or DATE_SUB").arg(op),
                     expr.token);
        }
        fail(QStringLiteral("No matching signature for operator %1 for argument types: %2").arg(op, typeList({left, right})), expr.token);
    }
    TypedSql value;
    if (op == QLatin1String("/")) {
        const SqlType float64 = SqlType::scalar(TypeKind::Float64);
        const TypedSql a = *coerce(left, float64);
        const TypedSql b = *coerce(right, float64);
        value.type = float64;
        value.sql = QStringLiteral("tf_div(%1, %2, 0)").arg(a.sql, b.sql);
        return value;
    }
    const QList<TypedSql> both = unify({left, right}, op, expr.token);
    value.type = both.at(0).type;
    value.sql = QStringLiteral("(%1 %2 %3)").arg(both.at(0).sql, op, both.at(1).sql);
    return value;
}

TypedSql ExpressionTranslator::predicate(const Expr &expr, const Scope &scope)
{
    TypedSql value;
    value.type = SqlType::scalar(TypeKind::Bool);
    const QString no = expr.negated ? QStringLiteral("NOT ") : QString();
    switch (expr.kind) {
    case ExprKind::IsNull:
        value.sql = QStringLiteral("(%1 IS %2NULL)").arg(translate(expr.args.at(0), scope).sql, no);
        return value;
    case ExprKind::IsBool: {
        const TypedSql operand = boolOperand(translate(expr.args.at(0), scope), QStringLiteral("IS ") + expr.text, expr.token);
        value.sql = QStringLiteral("(%1 IS %2%3)").arg(operand.sql, no, expr.text);
        return value;
    }
    case ExprKind::IsDistinct: {
        const QList<TypedSql> both = unify({translate(expr.args.at(0), scope), translate(expr.args.at(1), scope)},
                                           QStringLiteral("IS DISTINCT FROM"), expr.token);
        if (!both.at(0).type.supportsEquality())
            fail(QStringLiteral("Equality is not defined for arguments of type %1").arg(both.at(0).type.name()), expr.token);
        value.sql = QStringLiteral("(%1 %2 %3)").arg(both.at(0).sql, expr.negated ? QStringLiteral("IS") : QStringLiteral("IS NOT"),
                                                    both.at(1).sql);
        return value;
    }
    case ExprKind::Like: {
        const QList<TypedSql> both = unify({translate(expr.args.at(0), scope), translate(expr.args.at(1), scope)},
                                           QStringLiteral("LIKE"), expr.token);
        const TypeKind kind = both.at(0).type.kind();
        if (kind != TypeKind::String && kind != TypeKind::Bytes)
            fail(QStringLiteral("No matching signature for operator LIKE for argument types: %1").arg(typeList(both)), expr.token);
        // GoogleSQL's LIKE escapes with a backslash.
        value.sql = QStringLiteral("(%1 %2LIKE %3 ESCAPE '\\')").arg(both.at(0).sql, no, both.at(1).sql);
        return value;
    }
    case ExprKind::Between: {
        QList<TypedSql> operands;
        for (const ExprPtr &arg : expr.args)
            operands.append(translate(arg, scope));
        operands = unify(operands, QStringLiteral("BETWEEN"), expr.token);
        if (!operands.at(0).type.supportsOrdering())
            fail(QStringLiteral("Less than is not defined for arguments of type %1").arg(operands.at(0).type.name()), expr.token);
        value.sql = QStringLiteral("(%1 %2BETWEEN %3 AND %4)").arg(operands.at(0).sql, no, operands.at(1).sql, operands.at(2).sql);
        return value;
    }
    default: {
        QList<TypedSql> operands;
        for (const ExprPtr &arg : expr.args)
            operands.append(translate(arg, scope));
        operands = unify(operands, QStringLiteral("IN"), expr.token);
        if (!operands.at(0).type.supportsEquality())
            fail(QStringLiteral("Equality is not defined for arguments of type %1").arg(operands.at(0).type.name()), expr.token);
        QStringList items;
        for (qsizetype i = 1; i < operands.size(); ++i)
            items.append(operands.at(i).sql);
        value.sql = QStringLiteral("(%1 %2IN (%3))").arg(operands.at(0).sql, no, items.join(QStringLiteral(", ")));
        return value;
    }
    }
}

TypedSql ExpressionTranslator::inUnnest(const Expr &expr, const Scope &scope)
{
    const TypedSql needle = translate(expr.args.at(0), scope);
    const TypedSql array = translate(expr.args.at(1), scope);
    if (!array.type.isArray())
        fail(QStringLiteral("Values referenced in UNNEST must be arrays. UNNEST contains expression of type %1").arg(array.type.name()),
             expr.args.at(1)->token);
    TypedSql element;
    element.type = array.type.element();
    element.sql = elementSql(QStringLiteral("value"), element.type);
    const QList<TypedSql> both = unify({needle, element}, QStringLiteral("IN UNNEST"), expr.token);
    if (!both.at(0).type.supportsEquality())
        fail(QStringLiteral("Equality is not defined for arguments of type %1").arg(both.at(0).type.name()), expr.token);
    TypedSql value;
    value.type = SqlType::scalar(TypeKind::Bool);
    value.sql = QStringLiteral("(%1 %2IN (SELECT %3 FROM json_each(%4)))")
                    .arg(both.at(0).sql, expr.negated ? QStringLiteral("NOT ") : QString(), both.at(1).sql, array.sql);
    return value;
}

TypedSql ExpressionTranslator::cast(const Expr &expr, const Scope &scope)
{
    const TypedSql operand = translate(expr.args.at(0), scope);
    const SqlType &to = *expr.type;
    if (operand.origin == TypedSql::Origin::NullLiteral) {
        TypedSql value = operand;
        value.type = to;
        value.origin = TypedSql::Origin::Computed;
        return value;
    }
    if (!ValueCaster::allowed(operand.type, to))
        fail(QStringLiteral("Invalid cast from %1 to %2").arg(operand.type.name(), to.name()), expr.token);
    if (operand.type == to) {
        TypedSql value = operand;
        value.origin = TypedSql::Origin::Computed;
        return value;
    }
    if (operand.isConstant()) {
        QString error;
        const std::optional<QVariant> cast = ValueCaster::cast(operand.constant, operand.type, to, &error);
        if (cast)
            return bind(*cast, to);
        if (expr.safe)
            return bind(QVariant(), to);
        fail(error, expr.token);
    }
    TypedSql value;
    value.type = to;
    if (operand.type.kind() == TypeKind::Int64 && to.kind() == TypeKind::Float64)
        value.sql = QStringLiteral("CAST(%1 AS REAL)").arg(operand.sql);
    else
        value.sql = QStringLiteral("tf_cast(%1, %2, %3, %4)").arg(typeId(operand.type), typeId(to)).arg(expr.safe ? 1 : 0).arg(operand.sql);
    return value;
}

TypedSql ExpressionTranslator::caseExpression(const Expr &expr, const Scope &scope)
{
    QList<TypedSql> conditions;
    QList<TypedSql> results;
    for (qsizetype i = 0; i < expr.args.size(); i += 2) {
        conditions.append(translate(expr.args.at(i), scope));
        results.append(translate(expr.args.at(i + 1), scope));
    }
    if (expr.elseExpr)
        results.append(translate(expr.elseExpr, scope));
    QString operandSql;
    if (expr.operand) {
        QList<TypedSql> compared = conditions;
        compared.prepend(translate(expr.operand, scope));
        compared = unify(compared, QStringLiteral("CASE"), expr.token);
        if (!compared.at(0).type.supportsEquality())
            fail(QStringLiteral("Equality is not defined for arguments of type %1").arg(compared.at(0).type.name()), expr.token);
        operandSql = compared.takeFirst().sql + QLatin1Char(' ');
        conditions = compared;
    } else {
        for (TypedSql &condition : conditions)
            condition = boolOperand(condition, QStringLiteral("CASE WHEN"), expr.token);
    }
    results = unify(results, QStringLiteral("CASE"), expr.token);
    QString sql = QStringLiteral("CASE ") + operandSql;
    for (qsizetype i = 0; i < conditions.size(); ++i)
        sql += QStringLiteral("WHEN %1 THEN %2 ").arg(conditions.at(i).sql, results.at(i).sql);
    if (expr.elseExpr)
        sql += QStringLiteral("ELSE %1 ").arg(results.last().sql);
    TypedSql value;
    value.sql = sql + QStringLiteral("END");
    value.type = results.first().type;
    return value;
}

TypedSql ExpressionTranslator::arrayLiteral(const Expr &expr, const Scope &scope)
{
    QList<TypedSql> elements;
    for (const ExprPtr &arg : expr.args)
        elements.append(translate(arg, scope));
    SqlType elementType;
    if (expr.type) {
        elementType = *expr.type;
        for (TypedSql &element : elements) {
            element = coerceOrFail(element, elementType, [&](const SqlType &type) {
                return QStringLiteral("Array element type %1 does not coerce to %2").arg(type.name(), elementType.name());
            });
        }
    } else if (!elements.isEmpty()) {
        elements = unify(elements, QStringLiteral("ARRAY"), expr.token);
        elementType = elements.first().type;
    }
    if (elementType.isArray())
        fail(QStringLiteral("Cannot construct array with element type %1 because nested arrays are not supported").arg(elementType.name()),
             expr.token);
    TypedSql value;
    value.type = SqlType::arrayOf(elementType);
    value.emptyArray = elements.isEmpty() && !expr.type;
    QStringList parts{typeId(value.type)};
    for (const TypedSql &element : elements)
        parts.append(element.sql);
    value.sql = QStringLiteral("tf_array(%1)").arg(parts.join(QStringLiteral(", ")));
    return value;
}

TypedSql ExpressionTranslator::structLiteral(const Expr &expr, const Scope &scope)
{
    QList<TypedSql> members;
    for (const ExprPtr &arg : expr.args)
        members.append(translate(arg, scope));
    QList<StructMember> types;
    if (expr.type) {
        if (expr.type->members().size() != members.size())
            fail(QStringLiteral("STRUCT type has %1 fields but constructor call has %2 fields").arg(expr.type->members().size()).arg(members.size()),
                 expr.token);
        types = expr.type->members();
        for (qsizetype i = 0; i < members.size(); ++i) {
            members[i] = coerceOrFail(members.at(i), types.at(i).type, [&](const SqlType &type) {
                return QStringLiteral("STRUCT field %1 has type %2 which does not coerce to %3").arg(i + 1).arg(type.name(), types.at(i).type.name());
            });
        }
    } else {
        for (qsizetype i = 0; i < members.size(); ++i) {
            const QString name = expr.names.value(i).isEmpty() ? members.at(i).name : expr.names.value(i);
            types.append(StructMember{name, members.at(i).type});
        }
    }
    TypedSql value;
    value.type = SqlType::structOf(types);
    QStringList parts{typeId(value.type)};
    for (const TypedSql &member : members)
        parts.append(member.sql);
    value.sql = QStringLiteral("tf_struct(%1)").arg(parts.join(QStringLiteral(", ")));
    return value;
}

bool ExpressionTranslator::implicitlyCoercible(const TypedSql &value, const SqlType &to) const
{
    return value.origin == TypedSql::Origin::NullLiteral || (value.emptyArray && to.isArray())
        || typeCoercible(value.type, to, value.isConstant());
}

std::optional<TypedSql> ExpressionTranslator::coerce(const TypedSql &value, const SqlType &to)
{
    if (value.type == to && value.origin != TypedSql::Origin::NullLiteral)
        return value;
    if (!implicitlyCoercible(value, to))
        return std::nullopt;
    if (value.origin == TypedSql::Origin::NullLiteral) {
        TypedSql typed = value;
        typed.type = to;
        return typed;
    }
    if (value.emptyArray) {
        TypedSql typed = value;
        typed.type = to;
        typed.emptyArray = false;
        return typed;
    }
    if (value.isConstant()) {
        QString error;
        const std::optional<QVariant> cast = ValueCaster::cast(value.constant, value.type, to, &error);
        if (!cast)
            return std::nullopt;
        TypedSql converted = bind(*cast, to, value.origin);
        converted.name = value.name;
        return converted;
    }
    TypedSql converted;
    converted.type = to;
    converted.name = value.name;
    if (value.type.kind() == TypeKind::Int64 && to.kind() == TypeKind::Float64)
        converted.sql = QStringLiteral("CAST(%1 AS REAL)").arg(value.sql);
    else if (value.type.kind() == TypeKind::Date && to.kind() == TypeKind::Datetime)
        converted.sql = QStringLiteral("(%1 || %2)").arg(value.sql, m_bindings.add(QStringLiteral("T00:00:00.000000")));
    else
        converted.sql = QStringLiteral("tf_cast(%1, %2, 0, %3)").arg(typeId(value.type), typeId(to), value.sql);
    return converted;
}

TypedSql ExpressionTranslator::coerceOrFail(const TypedSql &value, const SqlType &to,
                                            const std::function<QString(const SqlType &)> &message)
{
    if (std::optional<TypedSql> converted = coerce(value, to))
        return *converted;
    if (value.isConstant() && value.type.kind() == TypeKind::String && isDateLike(to.kind()))
        throw GoogleError::invalidQuery(QStringLiteral("Could not cast %1 \"%2\" to type %3")
                                            .arg(value.origin == TypedSql::Origin::Literal ? QStringLiteral("literal") : QStringLiteral("query parameter"),
                                                 value.constant.toString(), to.name()));
    throw GoogleError::invalidQuery(message(value.type));
}

std::optional<SqlType> ExpressionTranslator::supertype(const QList<TypedSql> &values) const
{
    QList<const TypedSql *> typed;
    for (const TypedSql &value : values) {
        if (value.origin != TypedSql::Origin::NullLiteral)
            typed.append(&value);
    }
    if (typed.isEmpty())
        return SqlType();
    // Computed values first: a literal adapts to a column, not the other way round.
    const auto adapts = [](const TypedSql *value) { return value->isConstant() || value->emptyArray; };
    std::stable_sort(typed.begin(), typed.end(), [&](const TypedSql *a, const TypedSql *b) { return !adapts(a) && adapts(b); });
    for (const TypedSql *candidate : typed) {
        bool fits = true;
        for (const TypedSql *other : typed) {
            if (!implicitlyCoercible(*other, candidate->type)) {
                fits = false;
                break;
            }
        }
        if (fits)
            return candidate->type;
    }
    return std::nullopt;
}

QList<TypedSql> ExpressionTranslator::unify(const QList<TypedSql> &values, const QString &what, const SqlToken &at)
{
    const std::optional<SqlType> common = supertype(values);
    if (!common)
        fail(QStringLiteral("No matching signature for operator %1 for argument types: %2").arg(what, typeList(values)), at);
    QList<TypedSql> result;
    for (const TypedSql &value : values) {
        const std::optional<TypedSql> converted = coerce(value, *common);
        if (!converted) {
            fail(QStringLiteral("Could not cast %1 \"%2\" to type %3")
                     .arg(value.origin == TypedSql::Origin::Literal ? QStringLiteral("literal") : QStringLiteral("query parameter"),
                          value.constant.toString(), common->name()),
                 at);
        }
        result.append(*converted);
    }
    return result;
}

} // namespace tf::emu
