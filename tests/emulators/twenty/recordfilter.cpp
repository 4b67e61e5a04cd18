#include "twenty/recordfilter.h"

#include "twenty/apierror.h"
#include "twenty/emailcanonicalizer.h"
#include "twenty/nullequivalence.h"
#include "twenty/orderedjson.h"
#include "twenty/timestamps.h"
#include "twenty/uuids.h"
#include "twenty/valueinspector.h"

#include <QJsonArray>

namespace tf::emu {

namespace {

QString likeToRegex(const QString &pattern)
{
    // Literal runs are escaped whole: escape() keeps a surrogate pair (an emoji) together only when it sees both
    // halves, and a lone escaped half makes the whole expression invalid, so that it matches nothing.
    QString regex = QStringLiteral("^");
    QString literal;
    const auto flush = [&] {
        regex += QRegularExpression::escape(literal);
        literal.clear();
    };
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('\\') && i + 1 < pattern.size()) {
            literal += pattern.at(++i);
        } else if (c == QLatin1Char('%')) {
            flush();
            regex += QStringLiteral(".*");
        } else if (c == QLatin1Char('_')) {
            flush(); // one character: a code point, as in Postgres (the expression is matched in UTF mode)
            regex += QLatin1Char('.');
        } else {
            literal += c;
        }
    }
    flush();
    return regex + QLatin1Char('$');
}

QString postgresTypeName(ValueKind kind)
{
    switch (kind) {
    case ValueKind::Number:
        return QStringLiteral("double precision");
    case ValueKind::DateTime:
        return QStringLiteral("timestamp with time zone");
    case ValueKind::Uuid:
        return QStringLiteral("uuid");
    case ValueKind::Boolean:
        return QStringLiteral("boolean");
    default:
        return QStringLiteral("text");
    }
}

// Text of a value as `column::text` gives it.
QString textOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return ValueInspector::number(value.toDouble());
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromUtf8(OrderedJsonObject::serialize(value));
}

} // namespace

RecordFilter::RecordFilter() = default;

RecordFilter::RecordFilter(const FilterNode &root, const ObjectSchema &schema)
    : m_root(compile(root, schema))
    , m_matchesAll(false)
{
}

RecordFilter::Node RecordFilter::compile(const FilterNode &node, const ObjectSchema &schema)
{
    Node compiled;
    compiled.kind = node.kind;
    if (node.kind == FilterNode::Kind::Condition) {
        compiled.condition = compileCondition(node, schema);
        return compiled;
    }
    for (const FilterNode &child : node.children)
        compiled.children.append(compile(child, schema));
    return compiled;
}

QJsonValue RecordFilter::operand(const QString &text, ValueKind kind)
{
    const auto invalid = [&] {
        return ApiError::badRequest(
            QStringLiteral("invalid input syntax for type %1: \"%2\"").arg(postgresTypeName(kind), text));
    };
    switch (kind) {
    case ValueKind::Number: {
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        if (!ok)
            throw invalid();
        return number;
    }
    case ValueKind::DateTime: {
        const std::optional<qint64> instant = Timestamps::parse(text);
        if (!instant)
            throw invalid();
        return double(*instant);
    }
    case ValueKind::Uuid:
        if (!Uuids::isPostgresUuid(text))
            throw invalid();
        return text.toLower();
    case ValueKind::Boolean: {
        static const QStringList truthy{QStringLiteral("true"), QStringLiteral("t"), QStringLiteral("yes"),
                                        QStringLiteral("y"), QStringLiteral("on"), QStringLiteral("1")};
        static const QStringList falsy{QStringLiteral("false"), QStringLiteral("f"), QStringLiteral("no"),
                                       QStringLiteral("n"), QStringLiteral("off"), QStringLiteral("0")};
        if (truthy.contains(text.toLower()))
            return true;
        if (falsy.contains(text.toLower()))
            return false;
        throw invalid();
    }
    default:
        return text;
    }
}

RecordFilter::Condition RecordFilter::compileCondition(const FilterNode &node, const ObjectSchema &schema)
{
    FieldPath::Problem problem = FieldPath::Problem::UnknownField;
    const std::optional<FieldPath> path = FieldPath::resolve(schema, node.path, &problem);
    if (!path) {
        if (problem == FieldPath::Problem::WholeComposite) {
            throw ApiError::badRequest(QStringLiteral("'filter' invalid for '%1': '%2' is a composite field, filter on one "
                                                      "of its sub-fields, eg: %2.%3[eq]:value")
                                           .arg(node.text, node.path.first(),
                                                subFieldsOf(schema.activeField(node.path.first())->type).first().name));
        }
        throw ApiError::badRequest(QStringLiteral("field '%1' does not exist in '%2' object")
                                       .arg(node.path.join(QLatin1Char('.')), schema.nameSingular()));
    }
    Condition condition{*path, node.comparator, {}, {}, {}, false};
    const ValueKind kind = path->kind();
    const QString &comparator = node.comparator;
    if (comparator == QLatin1String("is")) {
        condition.isNull = node.value == QLatin1String("NULL");
    } else if (comparator == QLatin1String("containsAny")) {
        if (kind != ValueKind::Array) {
            throw ApiError::badRequest(
                QStringLiteral("'filter' invalid for '%1': containsAny applies to array fields only").arg(node.text));
        }
        for (const QString &value : node.values)
            condition.operands.append(value);
    } else if (kind == ValueKind::Array || kind == ValueKind::Json) {
        throw ApiError::badRequest(QStringLiteral("operator does not exist: %1 %2 unknown")
                                       .arg(kind == ValueKind::Array ? QStringLiteral("text[]") : QStringLiteral("jsonb"),
                                            comparator));
    } else if (comparator == QLatin1String("in")) {
        for (const QString &value : node.values)
            condition.operands.append(operand(path->isPrimaryEmail() ? EmailCanonicalizer::canonicalize(value) : value, kind));
    } else if (QStringList{QStringLiteral("like"), QStringLiteral("ilike"), QStringLiteral("startsWith"),
                           QStringLiteral("endsWith")}
                   .contains(comparator)) {
        condition.pattern = node.value;
        if (comparator == QLatin1String("like") || comparator == QLatin1String("ilike")) {
            condition.likeRegex = QRegularExpression(likeToRegex(node.value),
                                                     QRegularExpression::DotMatchesEverythingOption
                                                         | (comparator == QLatin1String("ilike")
                                                                ? QRegularExpression::CaseInsensitiveOption
                                                                : QRegularExpression::NoPatternOption));
        }
    } else {
        const bool exact = comparator == QLatin1String("eq") || comparator == QLatin1String("neq");
        condition.operands.append(
            operand(exact && path->isPrimaryEmail() ? EmailCanonicalizer::canonicalize(node.value) : node.value, kind));
    }
    return condition;
}

bool RecordFilter::matches(const QJsonObject &record) const
{
    return m_matchesAll || evaluate(m_root, record) == Truth::True;
}

RecordFilter::Truth RecordFilter::evaluate(const Node &node, const QJsonObject &record)
{
    if (node.condition)
        return evaluate(*node.condition, record);
    if (node.kind == FilterNode::Kind::Not) {
        const Truth inner = node.children.isEmpty() ? Truth::True : evaluate(node.children.first(), record);
        return inner == Truth::Unknown ? Truth::Unknown : (inner == Truth::True ? Truth::False : Truth::True);
    }
    const bool isAnd = node.kind == FilterNode::Kind::And;
    bool unknown = false;
    for (const Node &child : node.children) {
        const Truth truth = evaluate(child, record);
        if (truth == (isAnd ? Truth::False : Truth::True))
            return truth;
        unknown = unknown || truth == Truth::Unknown;
    }
    return unknown ? Truth::Unknown : (isAnd ? Truth::True : Truth::False);
}

RecordFilter::Truth RecordFilter::evaluate(const Condition &condition, const QJsonObject &record)
{
    const QJsonValue stored = condition.path.valueIn(record);
    const bool isNull = stored.isNull();
    const bool nullEquivalent = condition.path.isNullEquivalentText();
    const QString &comparator = condition.comparator;
    const auto truth = [](bool value) { return value ? Truth::True : Truth::False; };

    if (comparator == QLatin1String("is")) {
        // IS [NOT] NULL, widened by "OR column = ''" on text columns.
        const bool empty = nullEquivalent && stored == QLatin1String("");
        return truth((condition.isNull ? isNull : !isNull) || empty);
    }
    const bool isLike = comparator == QLatin1String("like") || comparator == QLatin1String("ilike");
    const bool emptyOperand = nullEquivalent
        && (isLike ? condition.pattern.isEmpty()
                   : !condition.operands.isEmpty() && NullEquivalence::isNullEquivalentText(condition.operands.first()));
    Truth result = Truth::Unknown;
    if (!isNull) {
        const ValueKind kind = condition.path.kind();
        const QJsonValue value = kind == ValueKind::DateTime
                                     ? QJsonValue(double(Timestamps::parse(stored.toString()).value_or(0)))
                                     : (kind == ValueKind::Uuid ? QJsonValue(stored.toString().toLower()) : stored);
        const auto compareTo = [&](const QJsonValue &operand) { return FieldPath::compare(value, operand, kind); };
        if (comparator == QLatin1String("eq"))
            result = truth(compareTo(condition.operands.first()) == 0);
        else if (comparator == QLatin1String("neq"))
            result = truth(compareTo(condition.operands.first()) != 0);
        else if (comparator == QLatin1String("gt"))
            result = truth(compareTo(condition.operands.first()) > 0);
        else if (comparator == QLatin1String("gte"))
            result = truth(compareTo(condition.operands.first()) >= 0);
        else if (comparator == QLatin1String("lt"))
            result = truth(compareTo(condition.operands.first()) < 0);
        else if (comparator == QLatin1String("lte"))
            result = truth(compareTo(condition.operands.first()) <= 0);
        else if (comparator == QLatin1String("in"))
            result = truth(std::any_of(condition.operands.begin(), condition.operands.end(),
                                       [&](const QJsonValue &operand) { return compareTo(operand) == 0; }));
        else if (comparator == QLatin1String("containsAny"))
            result = truth(std::any_of(condition.operands.begin(), condition.operands.end(),
                                       [&](const QJsonValue &operand) { return stored.toArray().contains(operand); }));
        else if (comparator == QLatin1String("startsWith"))
            result = truth(textOf(stored).startsWith(condition.pattern));
        else if (comparator == QLatin1String("endsWith"))
            result = truth(textOf(stored).endsWith(condition.pattern));
        else
            result = truth(condition.likeRegex.match(textOf(stored)).hasMatch());
    }
    if (!emptyOperand)
        return result;
    // "" ≡ NULL: eq '' and like '' also take NULL rows; neq '' also demands NOT NULL.
    if (comparator == QLatin1String("neq"))
        return isNull ? Truth::False : result;
    if (comparator == QLatin1String("eq") || isLike)
        return isNull ? Truth::True : result;
    return result;
}

bool RecordFilter::mentions(const QString &field) const
{
    return !m_matchesAll && mentions(m_root, field);
}

bool RecordFilter::mentions(const Node &node, const QString &field)
{
    if (node.condition)
        return node.condition->path.field() == field;
    return std::any_of(node.children.begin(), node.children.end(),
                       [&](const Node &child) { return mentions(child, field); });
}

} // namespace tf::emu
