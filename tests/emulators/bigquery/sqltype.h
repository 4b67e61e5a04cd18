#pragma once

#include <QList>
#include <QString>
#include <memory>
#include <optional>

namespace tf::emu {

enum class TypeKind {
    Int64,
    Float64,
    Numeric,
    BigNumeric,
    Bool,
    String,
    Bytes,
    Timestamp,
    Date,
    Datetime,
    Time,
    Geography,
    Json,
    Array,
    Struct,
};

struct StructMember;

// A GoogleSQL type (bigquery-rest.md §1.1): a scalar, ARRAY<element> or STRUCT<name type, ...>. Cheap to copy.
class SqlType
{
public:
    SqlType(); // INT64, the type GoogleSQL gives an untyped NULL
    static SqlType scalar(TypeKind kind);
    static SqlType arrayOf(const SqlType &element);
    static SqlType structOf(const QList<StructMember> &members);

    // Scalar names as requests and schemas spell them, both the standard and the legacy name (INTEGER, FLOAT,
    // BOOLEAN, RECORD/STRUCT without members are not scalars). nullopt for anything else.
    static std::optional<TypeKind> scalarKind(const QString &name);

    TypeKind kind() const { return m_kind; }
    bool isScalar() const { return m_kind != TypeKind::Array && m_kind != TypeKind::Struct; }
    bool isArray() const { return m_kind == TypeKind::Array; }
    bool isStruct() const { return m_kind == TypeKind::Struct; }
    bool isNumber() const;             // INT64, FLOAT64, NUMERIC, BIGNUMERIC
    const SqlType &element() const;    // of an ARRAY
    const QList<StructMember> &members() const; // of a STRUCT

    QString name() const;       // GoogleSQL spelling: INT64, ARRAY<STRING>, STRUCT<a INT64, b STRING>
    QString legacyName() const; // the spelling of response schemas (§1.2): INTEGER, FLOAT, BOOLEAN, RECORD, ...
    static QString kindName(TypeKind kind);

    // What GoogleSQL allows: = on everything but JSON, ARRAY and GEOGRAPHY (and STRUCTs holding them); < and ORDER BY
    // on scalars except JSON and GEOGRAPHY.
    bool supportsEquality() const;
    bool supportsOrdering() const;

    bool operator==(const SqlType &other) const;
    bool operator!=(const SqlType &other) const { return !(*this == other); }

private:
    TypeKind m_kind = TypeKind::Int64;
    std::shared_ptr<const SqlType> m_element;
    std::shared_ptr<const QList<StructMember>> m_members;
};

struct StructMember {
    QString name;
    SqlType type;
};

} // namespace tf::emu
