#pragma once

#include <QList>
#include <QStringList>

namespace tf::emu {

// One node of a parsed `filter` query parameter: and(...), or(...), not(...) or a condition
// `field.subField[comparator]:value`.
struct FilterNode {
    enum class Kind { And, Or, Not, Condition };
    Kind kind = Kind::And;
    QList<FilterNode> children;
    QStringList path;   // ["emails", "primaryEmail"]
    QString comparator; // eq neq in containsAny is gt gte lt lte startsWith endsWith like ilike
    QString value;      // the value with its quotes stripped
    QStringList values; // in / containsAny: the list items, quotes stripped
    QString text;       // the condition as written, for messages
};

// Twenty's REST filter grammar (§2.1; rest input-request-parsers/filter-parser-utils): a comma list is an AND at the
// root, values may be quoted with " or ', `in` and `containsAny` take [v1,v2]. Malformed filters are 400s with
// Twenty's messages.
class FilterParser
{
public:
    static FilterNode parse(const QString &filter);

private:
    static FilterNode parseNode(const QString &text);
    static FilterNode parseCondition(const QString &text);
    static QStringList splitTopLevel(const QString &content);
    static QString unquoted(const QString &value);
};

} // namespace tf::emu
