#include "twenty/fielddefinition.h"

namespace tf::emu {

QStringList FieldDefinition::optionValues() const
{
    if (type == FieldType::Rating) {
        return {QStringLiteral("RATING_1"), QStringLiteral("RATING_2"), QStringLiteral("RATING_3"),
                QStringLiteral("RATING_4"), QStringLiteral("RATING_5")};
    }
    QStringList values;
    for (const QJsonValue &option : options)
        values.append(option.toObject().value(QStringLiteral("value")).toString());
    return values;
}

QJsonObject FieldDefinition::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("objectMetadataId"), objectMetadataId},
                     {QStringLiteral("type"), fieldTypeName(type)},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("label"), label},
                     {QStringLiteral("description"), description.isNull() ? QJsonValue() : QJsonValue(description)},
                     {QStringLiteral("icon"), icon.isNull() ? QJsonValue() : QJsonValue(icon)},
                     {QStringLiteral("isCustom"), isCustom},
                     {QStringLiteral("isActive"), isActive},
                     {QStringLiteral("isSystem"), isSystem},
                     {QStringLiteral("isNullable"), isNullable},
                     {QStringLiteral("isUnique"), isUnique},
                     {QStringLiteral("isLabelSyncedWithName"), isLabelSyncedWithName},
                     {QStringLiteral("defaultValue"), defaultValue},
                     {QStringLiteral("options"), options.isEmpty() ? QJsonValue() : QJsonValue(options)},
                     {QStringLiteral("createdAt"), createdAt},
                     {QStringLiteral("updatedAt"), updatedAt}};
    if (type == FieldType::Relation) {
        QJsonObject settings{{QStringLiteral("relationType"),
                              isManyToOne() ? QStringLiteral("MANY_TO_ONE") : QStringLiteral("ONE_TO_MANY")}};
        if (isManyToOne())
            settings.insert(QStringLiteral("joinColumnName"), joinColumn);
        json.insert(QStringLiteral("settings"), settings);
        json.insert(QStringLiteral("relationTargetObjectName"), relationTarget);
    } else {
        json.insert(QStringLiteral("settings"), QJsonValue());
    }
    return json;
}

FieldDefinition FieldDefinition::fromJson(const QJsonObject &json)
{
    FieldDefinition field;
    field.id = json.value(QStringLiteral("id")).toString();
    field.objectMetadataId = json.value(QStringLiteral("objectMetadataId")).toString();
    field.name = json.value(QStringLiteral("name")).toString();
    field.type = fieldTypeFromName(json.value(QStringLiteral("type")).toString()).value_or(FieldType::Text);
    field.label = json.value(QStringLiteral("label")).toString();
    field.description = json.value(QStringLiteral("description")).toString();
    field.icon = json.value(QStringLiteral("icon")).toString();
    field.isCustom = json.value(QStringLiteral("isCustom")).toBool();
    field.isActive = json.value(QStringLiteral("isActive")).toBool(true);
    field.isSystem = json.value(QStringLiteral("isSystem")).toBool();
    field.isNullable = json.value(QStringLiteral("isNullable")).toBool(true);
    field.isUnique = json.value(QStringLiteral("isUnique")).toBool();
    field.isLabelSyncedWithName = json.value(QStringLiteral("isLabelSyncedWithName")).toBool();
    field.defaultValue = json.value(QStringLiteral("defaultValue"));
    if (field.defaultValue.isUndefined())
        field.defaultValue = QJsonValue::Null;
    field.options = json.value(QStringLiteral("options")).toArray();
    field.relationTarget = json.value(QStringLiteral("relationTargetObjectName")).toString();
    field.joinColumn = json.value(QStringLiteral("settings")).toObject().value(QStringLiteral("joinColumnName")).toString();
    field.createdAt = json.value(QStringLiteral("createdAt")).toString();
    field.updatedAt = json.value(QStringLiteral("updatedAt")).toString();
    return field;
}

} // namespace tf::emu
