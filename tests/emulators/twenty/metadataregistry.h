#pragma once

#include "twenty/objectschema.h"

#include <QJsonArray>

namespace tf::emu {

// The workspace's data model: the standard objects and the custom fields clients add through the metadata API
// (§4.2). It validates field definitions; what a change means for stored records is the caller's business.
class MetadataRegistry
{
public:
    explicit MetadataRegistry(QString createdAt);

    const QString &createdAt() const { return m_createdAt; }
    const QList<ObjectSchema> &objects() const { return m_objects; }
    ObjectSchema *objectByPlural(const QString &name);
    ObjectSchema *objectBySingular(const QString &name);
    ObjectSchema *objectById(const QString &id);
    const ObjectSchema *objectBySingular(const QString &name) const;

    QList<FieldDefinition> allFields() const;
    const FieldDefinition *fieldById(const QString &id) const;

    // A new custom field from a CreateFieldInput body; throws ApiError 400 when the input is not acceptable.
    FieldDefinition prepareCreate(const QJsonObject &input, const QString &now) const;
    // The field `id` with `patch` applied (UpdateFieldInput), not stored yet; throws ApiError 400.
    FieldDefinition prepareUpdate(const QString &id, const QJsonObject &patch, const QString &now) const;
    void store(const FieldDefinition &field); // add or replace, by id
    FieldDefinition remove(const QString &id); // the removed field; throws ApiError 404

    QJsonArray customFields() const;
    void restoreCustomFields(const QJsonArray &fields);
    void reset(); // the standard objects only

private:
    void checkNameAvailable(const ObjectSchema &object, const QString &name, const QString &exceptId) const;

    QString m_createdAt;
    QList<ObjectSchema> m_objects;
};

} // namespace tf::emu
