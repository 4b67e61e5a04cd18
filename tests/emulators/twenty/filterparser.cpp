#include "twenty/filterparser.h"

#include "twenty/apierror.h"

#include <QRegularExpression>

namespace tf::emu {

namespace {

const QStringList &comparators()
{
    static const QStringList names{QStringLiteral("eq"),        QStringLiteral("neq"),       QStringLiteral("in"),
                                   QStringLiteral("containsAny"), QStringLiteral("is"),      QStringLiteral("gt"),
                                   QStringLiteral("gte"),       QStringLiteral("lt"),        QStringLiteral("lte"),
                                   QStringLiteral("startsWith"), QStringLiteral("endsWith"), QStringLiteral("like"),
                                   QStringLiteral("ilike")};
    return names;
}

[[noreturn]] void invalidFilter(const QString &text)
{
    throw ApiError::badRequest(QStringLiteral("'filter' invalid for '%1'. eg: price[gte]:10").arg(text));
}

// check-filter-query: the parentheses must balance.
void checkParentheses(const QString &filter)
{
    const qsizetype diff = filter.count(QLatin1Char('(')) - filter.count(QLatin1Char(')'));
    if (diff == 0)
        return;
    const qsizetype missing = qAbs(diff);
    const QString hint = QStringLiteral("%1 %2 bracket%3")
                             .arg(missing)
                             .arg(diff > 0 ? QStringLiteral("close") : QStringLiteral("open"))
                             .arg(missing > 1 ? QStringLiteral("s are") : QStringLiteral(" is"));
    throw ApiError::badRequest(QStringLiteral("'filter' invalid. %1 missing in the query").arg(hint));
}

// `text` is conjunction(…) with the parenthesis after the name closing at the very end.
std::optional<FilterNode::Kind> conjunctionOf(const QString &text, QString *content)
{
    static const QRegularExpression head(QStringLiteral("^(and|or|not)\\((.+)\\)$"),
                                         QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = head.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    int depth = 0;
    bool single = false, dbl = false;
    const qsizetype open = match.capturedStart(2) - 1;
    for (qsizetype i = open; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"') && !single)
            dbl = !dbl;
        else if (c == QLatin1Char('\'') && !dbl)
            single = !single;
        else if (!single && !dbl && c == QLatin1Char('('))
            ++depth;
        else if (!single && !dbl && c == QLatin1Char(')') && --depth == 0 && i != text.size() - 1)
            return std::nullopt; // "or(a),or(b)": two predicates, not one conjunction
    }
    *content = match.captured(2);
    const QString name = match.captured(1);
    return name == QLatin1String("and") ? FilterNode::Kind::And
         : name == QLatin1String("or")  ? FilterNode::Kind::Or
                                        : FilterNode::Kind::Not;
}

} // namespace

FilterNode FilterParser::parse(const QString &filter)
{
    checkParentheses(filter);
    QString content;
    if (conjunctionOf(filter, &content))
        return parseNode(filter);
    // add-default-conjunction: a bare list is an AND.
    return parseNode(QStringLiteral("and(") + filter + QLatin1Char(')'));
}

FilterNode FilterParser::parseNode(const QString &text)
{
    QString content;
    const std::optional<FilterNode::Kind> kind = conjunctionOf(text, &content);
    if (!kind)
        return parseCondition(text);
    FilterNode node;
    node.kind = *kind;
    node.text = text;
    for (const QString &part : splitTopLevel(content))
        node.children.append(parseNode(part));
    if (node.kind == FilterNode::Kind::Not && node.children.size() > 1) {
        throw ApiError::badRequest(QStringLiteral(
            "'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)"));
    }
    return node;
}

// parse-base-filter: field path up to the first '[', comparator up to the next ']', value after the ':'.
FilterNode FilterParser::parseCondition(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^(.+)\\[(.+)\\]:(.+)$"));
    if (!shape.match(text).hasMatch())
        invalidFilter(text);
    const qsizetype open = text.indexOf(QLatin1Char('['));
    const qsizetype close = text.indexOf(QLatin1Char(']'), open);
    const qsizetype colon = text.indexOf(QLatin1Char(':'), close);
    FilterNode node;
    node.kind = FilterNode::Kind::Condition;
    node.text = text;
    node.path = text.left(open).split(QLatin1Char('.'));
    node.comparator = text.mid(open + 1, close - open - 1);
    const QString value = text.mid(colon + 1);
    if (!comparators().contains(node.comparator)) {
        throw ApiError::badRequest(QStringLiteral("'filter' invalid for '%1', comparator %2 not in %3")
                                       .arg(text, node.comparator, comparators().join(QStringLiteral(", "))));
    }
    if (node.comparator == QLatin1String("in") || node.comparator == QLatin1String("containsAny")) {
        // format-field-values: [v1,v2], split on every comma.
        if (!value.startsWith(QLatin1Char('[')) || !value.endsWith(QLatin1Char(']'))) {
            throw ApiError::badRequest(QStringLiteral("'filter' invalid for '%1' operator. Received '%2' but array value "
                                                      "expected eg: 'field[%1]:[value_1,value_2]'")
                                           .arg(node.comparator, value));
        }
        for (const QString &item : value.mid(1, value.size() - 2).split(QLatin1Char(',')))
            node.values.append(unquoted(item));
    } else if (node.comparator == QLatin1String("is")) {
        node.value = value;
    } else {
        node.value = unquoted(value);
    }
    return node;
}

// parse-filter-content: commas split only outside (), [] and quotes.
QStringList FilterParser::splitTopLevel(const QString &content)
{
    QStringList parts;
    QString current;
    int parentheses = 0, brackets = 0;
    bool single = false, dbl = false;
    for (const QChar c : content) {
        if (c == QLatin1Char('"') && !single)
            dbl = !dbl;
        else if (c == QLatin1Char('\'') && !dbl)
            single = !single;
        else if (!single && !dbl) {
            if (c == QLatin1Char('('))
                ++parentheses;
            else if (c == QLatin1Char(')'))
                --parentheses;
            else if (c == QLatin1Char('['))
                ++brackets;
            else if (c == QLatin1Char(']'))
                --brackets;
            else if (c == QLatin1Char(',') && parentheses == 0 && brackets == 0) {
                parts.append(current);
                current.clear();
                continue;
            }
        }
        current.append(c);
    }
    parts.append(current);
    return parts;
}

QString FilterParser::unquoted(const QString &value)
{
    if (value.size() >= 2 && (value.front() == QLatin1Char('"') || value.front() == QLatin1Char('\''))
        && (value.back() == QLatin1Char('"') || value.back() == QLatin1Char('\''))) {
        return value.mid(1, value.size() - 2);
    }
    return value;
}

} // namespace tf::emu
