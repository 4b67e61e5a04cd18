#pragma once

#include "twenty/fieldtype.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace tf::emu {

// One field of an object as the metadata API describes it (§4.2). Relation fields carry where they point:
// a many-to-one (person.company) stores its target's id in `joinColumn` (companyId); a one-to-many
// (company.people) is the other side and stores nothing.
struct FieldDefinition {
    QString id;
    QString objectMetadataId;
    QString name;
    FieldType type = FieldType::Text;
    QString label;
    QString description;
    QString icon;
    bool isCustom = false;
    bool isActive = true;
    bool isSystem = false;
    bool isNullable = true;
    bool isUnique = false;
    bool isLabelSyncedWithName = false;
    QJsonValue defaultValue = QJsonValue::Null;
    QJsonArray options;          // SELECT / MULTI_SELECT: [{label, value, color, position}]
    QString relationTarget;      // RELATION: the other object's nameSingular
    QString joinColumn;          // RELATION many-to-one: the stored id column
    QString createdAt;
    QString updatedAt;

    bool isManyToOne() const { return type == FieldType::Relation && !joinColumn.isEmpty(); }
    bool isOneToMany() const { return type == FieldType::Relation && joinColumn.isEmpty(); }
    bool storesValue() const { return type != FieldType::Relation; } // relations store through joinColumn
    QStringList optionValues() const;

    QJsonObject toJson() const;                       // the metadata API's field object
    static FieldDefinition fromJson(const QJsonObject &json); // inverse of toJson (persistence)
};

} // namespace tf::emu
