#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace tf::emu {

// The field metadata types the stand-in stores (a subset of FieldMetadataType, twenty-rest.md §4.2).
enum class FieldType {
    Uuid,
    Text,
    Number,
    Boolean,
    DateTime,
    Date,
    RawJson,
    Array,
    Select,
    MultiSelect,
    Rating,
    Position,
    FullName,
    Emails,
    Links,
    Phones,
    Actor,
    Relation,
};

// One column of a composite field (§4.1): `emails.primaryEmail` is sub-field primaryEmail of an EMAILS field.
struct SubField {
    enum class Kind { Text, Uuid, Array, Json };
    QString name;
    Kind kind;
};

QString fieldTypeName(FieldType type);
std::optional<FieldType> fieldTypeFromName(const QString &name);
bool isComposite(FieldType type);
const QList<SubField> &subFieldsOf(FieldType type); // empty for scalar types
const SubField *findSubField(FieldType type, const QString &name);
// Types the metadata API lets a client create as custom fields.
bool isCreatableCustomType(FieldType type);

} // namespace tf::emu
