#include "connectors/twenty/twentyfilter.h"

#include "core/contactnormalizer.h"

#include <QUrl>

namespace tf {

namespace {

// Long values are matched by a prefix pattern: a filter value is part of a URL.
constexpr int kMaxVerbatimLength = 200;

bool isGrammarCharacter(QChar c)
{
    static const QString grammar = QStringLiteral("\"'(),[]\\%");
    return grammar.contains(c) || c.unicode() < 0x20 || c.unicode() == 0x7f;
}

QString quoted(const QString &value)
{
    return QLatin1Char('"') + value + QLatin1Char('"');
}

// A LIKE pattern that matches `value`: grammar characters and edge whitespace (a parser may trim it) become the
// single-character wildcard `_`; a long value becomes its prefix followed by `%`.
QString likePattern(const QString &value)
{
    QString head = value.left(kMaxVerbatimLength);
    // Never cut a surrogate pair (an emoji) in two: the lone half travels as U+FFFD and the prefix then matches
    // nothing, not even the value it was made from.
    if (value.size() > kMaxVerbatimLength && head.back().isHighSurrogate())
        head.chop(1);
    QString pattern;
    pattern.reserve(head.size() + 1);
    for (qsizetype i = 0; i < head.size(); ++i) {
        const QChar c = head.at(i);
        const bool edge = (i == 0 || i == value.size() - 1) && c.isSpace();
        pattern.append(isGrammarCharacter(c) || edge ? QLatin1Char('_') : c);
    }
    if (value.size() > kMaxVerbatimLength)
        pattern.append(QLatin1Char('%'));
    return pattern;
}

QString likeTerm(const QString &field, const QString &value)
{
    return field + QStringLiteral("[like]:") + quoted(likePattern(value));
}

} // namespace

bool TwentyFilter::carriesVerbatim(const QString &value)
{
    if (value.isEmpty() || value.size() > kMaxVerbatimLength || value.front().isSpace() || value.back().isSpace())
        return false;
    for (const QChar c : value) {
        if (isGrammarCharacter(c))
            return false;
    }
    return true;
}

QString TwentyFilter::equals(const QString &field, const QString &value)
{
    return carriesVerbatim(value) ? field + QStringLiteral("[eq]:") + quoted(value) : likeTerm(field, value);
}

QString TwentyFilter::anyOf(const QString &field, const QStringList &values)
{
    QStringList verbatim;
    QStringList terms;
    for (const QString &value : values) {
        if (carriesVerbatim(value))
            verbatim.append(quoted(value));
        else
            terms.append(likeTerm(field, value));
    }
    if (!verbatim.isEmpty())
        terms.prepend(field + QStringLiteral("[in]:[") + verbatim.join(QLatin1Char(',')) + QLatin1Char(']'));
    return terms.size() == 1 ? terms.first() : either(terms);
}

QString TwentyFilter::atLeast(const QString &field, const QDateTime &when)
{
    return field + QStringLiteral("[gte]:") + quoted(ContactNormalizer::timestampText(when));
}

QString TwentyFilter::all(const QStringList &terms)
{
    return terms.size() == 1 ? terms.first() : QStringLiteral("and(") + terms.join(QLatin1Char(',')) + QLatin1Char(')');
}

QString TwentyFilter::either(const QStringList &terms)
{
    return terms.size() == 1 ? terms.first() : QStringLiteral("or(") + terms.join(QLatin1Char(',')) + QLatin1Char(')');
}

QString TwentyFilter::includingDeleted(const QString &filter)
{
    return all({filter, QStringLiteral("or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)")});
}

QStringList TwentyFilter::anyOfChunked(const QList<QPair<QString, QStringList>> &valuesByField, int budget)
{
    QStringList filters;
    QList<QPair<QString, QStringList>> group;
    const auto build = [](const QList<QPair<QString, QStringList>> &fields) {
        QStringList terms;
        for (const auto &[field, values] : fields)
            terms.append(anyOf(field, values));
        return either(terms);
    };
    for (const auto &[field, values] : valuesByField) {
        for (const QString &value : values) {
            if (value.isEmpty())
                continue;
            QList<QPair<QString, QStringList>> grown = group;
            if (grown.isEmpty() || grown.last().first != field)
                grown.append({field, {}});
            if (grown.last().second.contains(value))
                continue;
            grown.last().second.append(value);
            if (!group.isEmpty() && QUrl::toPercentEncoding(build(grown)).size() > budget) {
                filters.append(build(group));
                grown = {{field, {value}}};
            }
            group = grown;
        }
    }
    if (!group.isEmpty())
        filters.append(build(group));
    return filters;
}

} // namespace tf
