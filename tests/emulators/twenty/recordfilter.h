#pragma once

#include "twenty/fieldpath.h"
#include "twenty/filterparser.h"

#include <QRegularExpression>

namespace tf::emu {

// A parsed filter checked against an object's fields and evaluated on records the way Postgres evaluates the
// WHERE clause Twenty builds (compute-where-condition-parts): three-valued logic (a comparison with NULL is unknown,
// and not(unknown) stays unknown), "" ≡ NULL on text columns, LIKE patterns with % and _, startsWith and endsWith
// case-sensitive, date-times compared as instants.
class RecordFilter
{
public:
    RecordFilter(); // matches every record
    // Throws ApiError 400 for unknown fields and for values the column type cannot hold.
    RecordFilter(const FilterNode &root, const ObjectSchema &schema);

    bool matches(const QJsonObject &record) const;
    bool mentions(const QString &field) const; // the filter names this field anywhere (the deletedAt rule, §2.1)

private:
    enum class Truth { False, True, Unknown };
    struct Condition {
        FieldPath path;
        QString comparator;
        QList<QJsonValue> operands; // typed for the column
        QString pattern;            // like/ilike/startsWith/endsWith
        QRegularExpression likeRegex;
        bool isNull = false;        // `is`: NULL (true) or NOT_NULL (false)
    };
    struct Node {
        FilterNode::Kind kind = FilterNode::Kind::And;
        QList<Node> children;
        std::optional<Condition> condition;
    };

    static Node compile(const FilterNode &node, const ObjectSchema &schema);
    static Condition compileCondition(const FilterNode &node, const ObjectSchema &schema);
    static QJsonValue operand(const QString &text, ValueKind kind);
    static Truth evaluate(const Node &node, const QJsonObject &record);
    static Truth evaluate(const Condition &condition, const QJsonObject &record);
    static bool mentions(const Node &node, const QString &field);

    Node m_root;
    bool m_matchesAll = true;
};

} // namespace tf::emu
