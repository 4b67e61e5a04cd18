#include "twenty/metadataregistry.h"

#include "twenty/apierror.h"
#include "twenty/standardobjects.h"
#include "twenty/valueinspector.h"

#include <QRegularExpression>
#include <QUuid>

namespace tf::emu {

namespace {

const QStringList &updatableStandardKeys()
{
    static const QStringList keys{QStringLiteral("label"), QStringLiteral("description"), QStringLiteral("icon")};
    return keys;
}

const QStringList &updatableCustomKeys()
{
    static const QStringList keys{QStringLiteral("name"),          QStringLiteral("label"),
                                  QStringLiteral("description"),   QStringLiteral("icon"),
                                  QStringLiteral("isActive"),      QStringLiteral("isUnique"),
                                  QStringLiteral("isNullable"),    QStringLiteral("defaultValue"),
                                  QStringLiteral("options"),       QStringLiteral("isLabelSyncedWithName")};
    return keys;
}

void requireString(const QJsonObject &input, const QString &key)
{
    if (!input.value(key).isString() || input.value(key).toString().trimmed().isEmpty())
        throw ApiError::badRequest(QStringLiteral("\"%1\" must be a non-empty string").arg(key));
}

void requireBoolean(const QJsonObject &input, const QString &key)
{
    const QJsonValue value = input.value(key);
    if (!value.isUndefined() && !value.isBool())
        throw ApiError::badRequest(QStringLiteral("\"%1\" must be a boolean, got %2").arg(key, ValueInspector::inspect(value)));
}

void checkName(const QString &name)
{
    static const QRegularExpression camelCase(QStringLiteral("^[a-z][a-zA-Z0-9]*$"));
    if (!camelCase.match(name).hasMatch())
        throw ApiError::badRequest(QStringLiteral("Name should be in camelCase: '%1'").arg(name));
    if (name.size() > 63)
        throw ApiError::badRequest(QStringLiteral("Name is too long: it exceeds 63 characters"));
}

void checkOptions(const FieldDefinition &field)
{
    if (field.type != FieldType::Select && field.type != FieldType::MultiSelect)
        return;
    if (field.options.isEmpty())
        throw ApiError::badRequest(QStringLiteral("Options are required for %1 fields").arg(fieldTypeName(field.type)));
    for (const QJsonValue &option : field.options) {
        if (!option.toObject().value(QStringLiteral("value")).isString())
            throw ApiError::badRequest(QStringLiteral("Option %1 has no string value").arg(ValueInspector::inspect(option)));
    }
}

void applyCommon(FieldDefinition &field, const QJsonObject &input)
{
    for (const QString &key : {QStringLiteral("isActive"), QStringLiteral("isUnique"), QStringLiteral("isNullable"),
                               QStringLiteral("isLabelSyncedWithName")}) {
        requireBoolean(input, key);
    }
    if (input.contains(QStringLiteral("label")))
        requireString(input, QStringLiteral("label"));
    field.label = input.value(QStringLiteral("label")).toString(field.label);
    if (input.contains(QStringLiteral("description")))
        field.description = input.value(QStringLiteral("description")).toString();
    if (input.contains(QStringLiteral("icon")))
        field.icon = input.value(QStringLiteral("icon")).toString();
    field.isActive = input.value(QStringLiteral("isActive")).toBool(field.isActive);
    field.isUnique = input.value(QStringLiteral("isUnique")).toBool(field.isUnique);
    field.isNullable = input.value(QStringLiteral("isNullable")).toBool(field.isNullable);
    field.isLabelSyncedWithName = input.value(QStringLiteral("isLabelSyncedWithName")).toBool(field.isLabelSyncedWithName);
    if (input.contains(QStringLiteral("defaultValue")))
        field.defaultValue = input.value(QStringLiteral("defaultValue"));
    if (input.contains(QStringLiteral("options")))
        field.options = input.value(QStringLiteral("options")).toArray();
}

} // namespace

MetadataRegistry::MetadataRegistry(QString createdAt)
    : m_createdAt(std::move(createdAt))
{
    reset();
}

void MetadataRegistry::reset()
{
    m_objects = {StandardObjects::person(m_createdAt), StandardObjects::company(m_createdAt)};
}

ObjectSchema *MetadataRegistry::objectByPlural(const QString &name)
{
    for (ObjectSchema &object : m_objects) {
        if (object.namePlural() == name)
            return &object;
    }
    return nullptr;
}

ObjectSchema *MetadataRegistry::objectBySingular(const QString &name)
{
    for (ObjectSchema &object : m_objects) {
        if (object.nameSingular() == name)
            return &object;
    }
    return nullptr;
}

const ObjectSchema *MetadataRegistry::objectBySingular(const QString &name) const
{
    return const_cast<MetadataRegistry *>(this)->objectBySingular(name);
}

ObjectSchema *MetadataRegistry::objectById(const QString &id)
{
    for (ObjectSchema &object : m_objects) {
        if (object.id().compare(id, Qt::CaseInsensitive) == 0)
            return &object;
    }
    return nullptr;
}

QList<FieldDefinition> MetadataRegistry::allFields() const
{
    QList<FieldDefinition> fields;
    for (const ObjectSchema &object : m_objects)
        fields.append(object.fields());
    return fields;
}

const FieldDefinition *MetadataRegistry::fieldById(const QString &id) const
{
    for (const ObjectSchema &object : m_objects) {
        for (const FieldDefinition &field : object.fields()) {
            if (field.id.compare(id, Qt::CaseInsensitive) == 0)
                return &field;
        }
    }
    return nullptr;
}

void MetadataRegistry::checkNameAvailable(const ObjectSchema &object, const QString &name, const QString &exceptId) const
{
    for (const FieldDefinition &field : object.fields()) {
        if (field.id == exceptId)
            continue;
        if (field.name == name || (field.isManyToOne() && field.joinColumn == name))
            throw ApiError::badRequest(QStringLiteral("Name \"%1\" is not available").arg(name));
    }
}

FieldDefinition MetadataRegistry::prepareCreate(const QJsonObject &input, const QString &now) const
{
    requireString(input, QStringLiteral("objectMetadataId"));
    requireString(input, QStringLiteral("type"));
    requireString(input, QStringLiteral("name"));
    requireString(input, QStringLiteral("label"));
    const QString objectId = input.value(QStringLiteral("objectMetadataId")).toString();
    const ObjectSchema *object = const_cast<MetadataRegistry *>(this)->objectById(objectId);
    if (!object)
        throw ApiError::badRequest(QStringLiteral("Object metadata %1 not found").arg(objectId));
    const QString typeName = input.value(QStringLiteral("type")).toString();
    const std::optional<FieldType> type = fieldTypeFromName(typeName);
    if (!type || !isCreatableCustomType(*type)) {
        throw ApiError::badRequest(
            QStringLiteral("Field type %1 cannot be created through tf-twenty-emulator's metadata API").arg(typeName));
    }
    FieldDefinition field;
    field.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    field.objectMetadataId = object->id();
    field.type = *type;
    field.name = input.value(QStringLiteral("name")).toString();
    field.isCustom = true;
    field.createdAt = field.updatedAt = now;
    checkName(field.name);
    checkNameAvailable(*object, field.name, QString());
    applyCommon(field, input);
    checkOptions(field);
    return field;
}

FieldDefinition MetadataRegistry::prepareUpdate(const QString &id, const QJsonObject &patch, const QString &now) const
{
    const FieldDefinition *existing = fieldById(id);
    if (!existing)
        throw ApiError::badRequest(QStringLiteral("Field metadata %1 not found").arg(id));
    const QStringList &allowed = existing->isCustom ? updatableCustomKeys() : updatableStandardKeys();
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.key() != QLatin1String("id") && !allowed.contains(it.key())) {
            throw ApiError::badRequest(QStringLiteral("Field \"%1\" cannot be updated: '%2' is not an updatable property")
                                           .arg(existing->name, it.key()));
        }
    }
    FieldDefinition field = *existing;
    if (patch.contains(QStringLiteral("name"))) {
        requireString(patch, QStringLiteral("name"));
        field.name = patch.value(QStringLiteral("name")).toString();
        checkName(field.name);
        checkNameAvailable(*const_cast<MetadataRegistry *>(this)->objectById(field.objectMetadataId), field.name, field.id);
    }
    applyCommon(field, patch);
    checkOptions(field);
    field.updatedAt = now;
    return field;
}

void MetadataRegistry::store(const FieldDefinition &field)
{
    ObjectSchema *object = objectById(field.objectMetadataId);
    if (!object)
        return;
    for (const FieldDefinition &existing : object->fields()) {
        if (existing.id == field.id) {
            *object->field(existing.name) = field;
            return;
        }
    }
    object->addField(field);
}

FieldDefinition MetadataRegistry::remove(const QString &id)
{
    const FieldDefinition *field = fieldById(id);
    if (!field)
        throw ApiError::notFound(QStringLiteral("Field metadata %1 not found").arg(id));
    if (!field->isCustom)
        throw ApiError::badRequest(QStringLiteral("Standard field \"%1\" cannot be deleted").arg(field->name));
    const FieldDefinition removed = *field;
    objectById(removed.objectMetadataId)->removeField(removed.name);
    return removed;
}

QJsonArray MetadataRegistry::customFields() const
{
    QJsonArray fields;
    for (const FieldDefinition &field : allFields()) {
        if (field.isCustom)
            fields.append(field.toJson());
    }
    return fields;
}

void MetadataRegistry::restoreCustomFields(const QJsonArray &fields)
{
    for (const QJsonValue &value : fields) {
        FieldDefinition field = FieldDefinition::fromJson(value.toObject());
        field.isCustom = true;
        store(field);
    }
}

} // namespace tf::emu
