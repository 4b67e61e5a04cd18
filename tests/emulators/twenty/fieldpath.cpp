#include "twenty/fieldpath.h"

#include "twenty/orderedjson.h"

namespace tf::emu {

namespace {

ValueKind kindOf(FieldType type)
{
    switch (type) {
    case FieldType::Number:
    case FieldType::Position:
        return ValueKind::Number;
    case FieldType::DateTime:
        return ValueKind::DateTime;
    case FieldType::Uuid:
    case FieldType::Relation:
        return ValueKind::Uuid;
    case FieldType::Boolean:
        return ValueKind::Boolean;
    case FieldType::Array:
    case FieldType::MultiSelect:
        return ValueKind::Array;
    case FieldType::RawJson:
        return ValueKind::Json;
    default:
        return ValueKind::Text;
    }
}

ValueKind kindOf(SubField::Kind kind)
{
    switch (kind) {
    case SubField::Kind::Uuid:
        return ValueKind::Uuid;
    case SubField::Kind::Array:
        return ValueKind::Array;
    case SubField::Kind::Json:
        return ValueKind::Json;
    case SubField::Kind::Text:
        break;
    }
    return ValueKind::Text;
}

} // namespace

std::optional<FieldPath> FieldPath::resolve(const ObjectSchema &schema, const QStringList &parts, Problem *problem)
{
    FieldPath path;
    path.m_field = parts.value(0);
    const FieldDefinition *field = schema.activeField(path.m_field);
    if (!field || field->type == FieldType::Relation) {
        field = schema.activeFieldByJoinColumn(path.m_field);
        if (!field || parts.size() != 1) {
            *problem = Problem::UnknownField;
            return std::nullopt;
        }
        path.m_kind = ValueKind::Uuid;
        return path;
    }
    if (!isComposite(field->type)) {
        if (parts.size() != 1) {
            *problem = Problem::UnknownSubField;
            return std::nullopt;
        }
        path.m_kind = kindOf(field->type);
        path.m_nullEquivalent = field->type == FieldType::Text;
        return path;
    }
    if (parts.size() == 1) {
        *problem = Problem::WholeComposite;
        return std::nullopt;
    }
    const SubField *sub = parts.size() == 2 ? findSubField(field->type, parts.at(1)) : nullptr;
    if (!sub) {
        *problem = Problem::UnknownSubField;
        return std::nullopt;
    }
    path.m_subField = sub->name;
    path.m_kind = kindOf(sub->kind);
    path.m_nullEquivalent = sub->kind == SubField::Kind::Text;
    path.m_primaryEmail = field->type == FieldType::Emails && sub->name == QLatin1String("primaryEmail");
    return path;
}

QString FieldPath::name() const
{
    return m_subField.isEmpty() ? m_field : m_field + QLatin1Char('.') + m_subField;
}

QJsonValue FieldPath::valueIn(const QJsonObject &record) const
{
    const QJsonValue value = m_subField.isEmpty() ? record.value(m_field)
                                                  : record.value(m_field).toObject().value(m_subField);
    return value.isUndefined() ? QJsonValue(QJsonValue::Null) : value;
}

int FieldPath::compare(const QJsonValue &a, const QJsonValue &b, ValueKind kind)
{
    if (a.isDouble() && b.isDouble()) { // numbers, and instants a filter reads as epoch milliseconds
        const double x = a.toDouble(), y = b.toDouble();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    switch (kind) {
    case ValueKind::Boolean:
        return int(a.toBool()) - int(b.toBool());
    case ValueKind::Array:
    case ValueKind::Json:
        return OrderedJsonObject::serialize(a).compare(OrderedJsonObject::serialize(b));
    default:
        return a.toString().compare(b.toString());
    }
}

} // namespace tf::emu
