#include "core/contactcodec.h"

#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <cmath>

namespace tf {

QJsonValue ContactCodec::valueToJson(const FieldSpec &spec, const QVariant &value)
{
    const QVariant normal = ContactNormalizer::normalizedValue(spec, value);
    if (!normal.isValid())
        return QJsonValue::Null;
    switch (spec.kind) {
    case FieldKind::Text:
        return normal.toString();
    case FieldKind::Float: {
        // JSON has no NaN or infinity (Qt would write null): they travel as BigQuery spells them, as strings.
        const double number = normal.toDouble();
        return std::isfinite(number) ? QJsonValue(number) : QJsonValue(ContactNormalizer::floatText(number));
    }
    case FieldKind::StringList:
        return QJsonArray::fromStringList(normal.toStringList());
    case FieldKind::Timestamp:
        return ContactNormalizer::timestampText(normal.toDateTime());
    case FieldKind::Json:
        return normal.value<QJsonValue>();
    }
    return QJsonValue::Null;
}

QVariant ContactCodec::valueFromJson(const FieldSpec &spec, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
        return value.isString() ? value.toString() : value.toVariant().toString();
    case FieldKind::Float:
        return ContactNormalizer::normalizedValue(spec, value.toVariant());
    case FieldKind::StringList: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items.append(item.toString());
        return ContactNormalizer::normalizedValue(spec, items);
    }
    case FieldKind::Timestamp:
        return ContactNormalizer::normalizedValue(spec, value.toString());
    case FieldKind::Json:
        return ContactNormalizer::normalizedValue(spec, QVariant::fromValue(value));
    }
    return {};
}

QJsonObject ContactCodec::toJson(const Contact &contact)
{
    QJsonObject object;
    for (const FieldSpec &spec : FieldRegistry::fields())
        object.insert(spec.name, valueToJson(spec, contact.value(spec.index)));
    return object;
}

Contact ContactCodec::fromJson(const QJsonObject &object)
{
    Contact contact;
    for (const FieldSpec &spec : FieldRegistry::fields())
        contact.setValue(spec.index, valueFromJson(spec, object.value(spec.name)));
    return contact;
}

} // namespace tf
