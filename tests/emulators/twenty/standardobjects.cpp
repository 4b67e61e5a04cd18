#include "twenty/standardobjects.h"

#include <QUuid>

namespace tf::emu {

namespace {

struct StandardField {
    const char *name;
    FieldType type;
    const char *label;
    bool isSystem = false;
    bool isUnique = false;
    bool isNullable = true;
};

// Stable ids, the same on every start, as a real workspace's metadata ids are.
QString fieldId(const QString &object, const QString &field)
{
    static const QUuid metadataNamespace(QStringLiteral("{2d3e4f50-6a7b-4c8d-9e0f-a1b2c3d4e5f6}"));
    return QUuid::createUuidV5(metadataNamespace, object + QLatin1Char('.') + field).toString(QUuid::WithoutBraces);
}

void addFields(ObjectSchema &schema, const QList<StandardField> &fields, const QString &createdAt)
{
    for (const StandardField &spec : fields) {
        FieldDefinition field;
        field.name = QString::fromLatin1(spec.name);
        field.id = fieldId(schema.nameSingular(), field.name);
        field.objectMetadataId = schema.id();
        field.type = spec.type;
        field.label = QString::fromLatin1(spec.label);
        field.isSystem = spec.isSystem;
        field.isUnique = spec.isUnique;
        field.isNullable = spec.isNullable;
        field.createdAt = field.updatedAt = createdAt;
        schema.addField(field);
    }
}

void addRelation(ObjectSchema &schema, const QString &name, const QString &label, const QString &target,
                 const QString &joinColumn, const QString &createdAt)
{
    FieldDefinition field;
    field.name = name;
    field.id = fieldId(schema.nameSingular(), name);
    field.objectMetadataId = schema.id();
    field.type = FieldType::Relation;
    field.label = label;
    field.relationTarget = target;
    field.joinColumn = joinColumn;
    field.createdAt = field.updatedAt = createdAt;
    schema.addField(field);
}

// The base entity's fields every workspace object has (base.workspace-entity.ts, §4.1).
const QList<StandardField> &baseFields()
{
    static const QList<StandardField> fields{
        {"position", FieldType::Position, "Position", true},
        {"createdBy", FieldType::Actor, "Created by"},
        {"updatedBy", FieldType::Actor, "Updated by"},
        {"createdAt", FieldType::DateTime, "Creation date", false, false, false},
        {"updatedAt", FieldType::DateTime, "Last update", false, false, false},
        {"deletedAt", FieldType::DateTime, "Deleted at"},
    };
    return fields;
}

} // namespace

const QString &StandardObjects::workspaceId()
{
    static const QString id = QStringLiteral("20202020-1c25-4d02-bf25-6aeccf7ea419"); // the §7 vector's workspace
    return id;
}

ObjectSchema StandardObjects::person(const QString &createdAt)
{
    // The id the spec's examples use for person (§7 conformance vector, §4.2 request).
    ObjectSchema schema(QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495"), QStringLiteral("person"),
                        QStringLiteral("people"), QStringLiteral("Person"), QStringLiteral("People"));
    addFields(schema,
              {{"id", FieldType::Uuid, "Id", true, true, false},
               {"name", FieldType::FullName, "Name"},
               {"emails", FieldType::Emails, "Emails", false, true},
               {"linkedinLink", FieldType::Links, "Linkedin"},
               {"xLink", FieldType::Links, "X"},
               {"jobTitle", FieldType::Text, "Job Title"},
               {"phones", FieldType::Phones, "Phones"},
               {"city", FieldType::Text, "City"},
               {"avatarUrl", FieldType::Text, "Avatar", true}},
              createdAt);
    addFields(schema, baseFields(), createdAt);
    addRelation(schema, QStringLiteral("company"), QStringLiteral("Company"), QStringLiteral("company"),
                QStringLiteral("companyId"), createdAt);
    return schema;
}

ObjectSchema StandardObjects::company(const QString &createdAt)
{
    ObjectSchema schema(QStringLiteral("5e0a9b2c-7d1f-4a3e-8b6c-9d2e1f0a3b4c"), QStringLiteral("company"),
                        QStringLiteral("companies"), QStringLiteral("Company"), QStringLiteral("Companies"));
    addFields(schema, {{"id", FieldType::Uuid, "Id", true, true, false}, {"name", FieldType::Text, "Name"}}, createdAt);
    addFields(schema, baseFields(), createdAt);
    addRelation(schema, QStringLiteral("people"), QStringLiteral("People"), QStringLiteral("person"), QString(),
                createdAt);
    return schema;
}

} // namespace tf::emu
