#include "bigquery/sqltype.h"

#include <QHash>

namespace tf::emu {

namespace {

struct KindName {
    TypeKind kind;
    const char *name;
    const char *legacy;
};

constexpr KindName kKinds[] = {
    {TypeKind::Int64, "INT64", "INTEGER"},       {TypeKind::Float64, "FLOAT64", "FLOAT"},
    {TypeKind::Numeric, "NUMERIC", "NUMERIC"},   {TypeKind::BigNumeric, "BIGNUMERIC", "BIGNUMERIC"},
    {TypeKind::Bool, "BOOL", "BOOLEAN"},         {TypeKind::String, "STRING", "STRING"},
    {TypeKind::Bytes, "BYTES", "BYTES"},         {TypeKind::Timestamp, "TIMESTAMP", "TIMESTAMP"},
    {TypeKind::Date, "DATE", "DATE"},            {TypeKind::Datetime, "DATETIME", "DATETIME"},
    {TypeKind::Time, "TIME", "TIME"},            {TypeKind::Geography, "GEOGRAPHY", "GEOGRAPHY"},
    {TypeKind::Json, "JSON", "JSON"},            {TypeKind::Array, "ARRAY", "ARRAY"},
    {TypeKind::Struct, "STRUCT", "RECORD"},
};

const KindName &entry(TypeKind kind)
{
    for (const KindName &k : kKinds) {
        if (k.kind == kind)
            return k;
    }
    return kKinds[0];
}

} // namespace

SqlType::SqlType() = default;

SqlType SqlType::scalar(TypeKind kind)
{
    SqlType type;
    type.m_kind = kind;
    return type;
}

SqlType SqlType::arrayOf(const SqlType &element)
{
    SqlType type;
    type.m_kind = TypeKind::Array;
    type.m_element = std::make_shared<const SqlType>(element);
    return type;
}

SqlType SqlType::structOf(const QList<StructMember> &members)
{
    SqlType type;
    type.m_kind = TypeKind::Struct;
    type.m_members = std::make_shared<const QList<StructMember>>(members);
    return type;
}

std::optional<TypeKind> SqlType::scalarKind(const QString &name)
{
    static const QHash<QString, TypeKind> names = [] {
        QHash<QString, TypeKind> map;
        for (const KindName &k : kKinds) {
            if (k.kind == TypeKind::Array || k.kind == TypeKind::Struct)
                continue;
            map.insert(QString::fromLatin1(k.name), k.kind);
            map.insert(QString::fromLatin1(k.legacy), k.kind);
        }
        map.insert(QStringLiteral("DECIMAL"), TypeKind::Numeric);
        map.insert(QStringLiteral("BIGDECIMAL"), TypeKind::BigNumeric);
        return map;
    }();
    const auto found = names.constFind(name.trimmed().toUpper());
    if (found == names.constEnd())
        return std::nullopt;
    return *found;
}

bool SqlType::isNumber() const
{
    return m_kind == TypeKind::Int64 || m_kind == TypeKind::Float64 || m_kind == TypeKind::Numeric
        || m_kind == TypeKind::BigNumeric;
}

const SqlType &SqlType::element() const
{
    static const SqlType none;
    return m_element ? *m_element : none;
}

const QList<StructMember> &SqlType::members() const
{
    static const QList<StructMember> none;
    return m_members ? *m_members : none;
}

QString SqlType::kindName(TypeKind kind)
{
    return QString::fromLatin1(entry(kind).name);
}

QString SqlType::name() const
{
    if (m_kind == TypeKind::Array)
        return QStringLiteral("ARRAY<%1>").arg(element().name());
    if (m_kind == TypeKind::Struct) {
        QStringList parts;
        for (const StructMember &member : members())
            parts.append(member.name.isEmpty() ? member.type.name() : member.name + QLatin1Char(' ') + member.type.name());
        return QStringLiteral("STRUCT<%1>").arg(parts.join(QStringLiteral(", ")));
    }
    return kindName(m_kind);
}

QString SqlType::legacyName() const
{
    return QString::fromLatin1(entry(m_kind).legacy);
}

bool SqlType::supportsEquality() const
{
    switch (m_kind) {
    case TypeKind::Json:
    case TypeKind::Geography:
    case TypeKind::Array:
        return false;
    case TypeKind::Struct:
        for (const StructMember &member : members()) {
            if (!member.type.supportsEquality())
                return false;
        }
        return true;
    default:
        return true;
    }
}

bool SqlType::supportsOrdering() const
{
    return isScalar() && m_kind != TypeKind::Json && m_kind != TypeKind::Geography;
}

bool SqlType::operator==(const SqlType &other) const
{
    if (m_kind != other.m_kind)
        return false;
    if (m_kind == TypeKind::Array)
        return element() == other.element();
    if (m_kind == TypeKind::Struct) {
        if (members().size() != other.members().size())
            return false;
        for (qsizetype i = 0; i < members().size(); ++i) {
            if (members().at(i).type != other.members().at(i).type)
                return false;
        }
    }
    return true;
}

} // namespace tf::emu
