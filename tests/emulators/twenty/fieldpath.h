#pragma once

#include "twenty/objectschema.h"

#include <QJsonObject>
#include <optional>

namespace tf::emu {

// How stored values of a column compare, as Postgres compares its column type.
enum class ValueKind { Text, Number, DateTime, Uuid, Boolean, Array, Json };

// A column a filter or an order_by names: a scalar field, a relation's join column (companyId) or one sub-field
// of a composite (name.firstName).
class FieldPath
{
public:
    enum class Problem { UnknownField, WholeComposite, UnknownSubField };

    // The column `parts` names in `schema`, or what is wrong with it.
    static std::optional<FieldPath> resolve(const ObjectSchema &schema, const QStringList &parts, Problem *problem);

    const QString &field() const { return m_field; }
    const QString &subField() const { return m_subField; }
    QString name() const; // "emails.primaryEmail"
    ValueKind kind() const { return m_kind; }
    // TEXT columns treat "" and NULL as one value in filters (§4.3, compute-where-condition-parts).
    bool isNullEquivalentText() const { return m_nullEquivalent; }
    // An EMAILS field's primaryEmail: exact matches on it compare canonical addresses
    // (normalize-exact-emails-filter-value, §4.3).
    bool isPrimaryEmail() const { return m_primaryEmail; }

    QJsonValue valueIn(const QJsonObject &record) const; // null when absent
    // Orders two non-null values of this kind: numbers (and instants given as epoch milliseconds) by value,
    // everything else by its text (stored timestamps are uniform UTC text, uuids lower case), as the C collation sorts.
    static int compare(const QJsonValue &a, const QJsonValue &b, ValueKind kind);

private:
    QString m_field;
    QString m_subField;
    ValueKind m_kind = ValueKind::Text;
    bool m_nullEquivalent = false;
    bool m_primaryEmail = false;
};

} // namespace tf::emu
