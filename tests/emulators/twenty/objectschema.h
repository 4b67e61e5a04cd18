#pragma once

#include "twenty/fielddefinition.h"

#include <QList>

namespace tf::emu {

// A unique index of an object: the value at `path` (a field, or field.subField of a composite) may be held by
// one row only, soft-deleted rows included (§9 #9).
struct UniqueKey {
    QString path;       // "emails.primaryEmail", "tfContactId"
    QString constraint; // the Postgres index name the duplicate error quotes (§5)
};

// An object of the workspace (person, company) and its fields, standard and custom (§4).
class ObjectSchema
{
public:
    ObjectSchema(QString id, QString nameSingular, QString namePlural, QString labelSingular, QString labelPlural);

    const QString &id() const { return m_id; }
    const QString &nameSingular() const { return m_nameSingular; }
    const QString &namePlural() const { return m_namePlural; }

    const QList<FieldDefinition> &fields() const { return m_fields; }
    void addField(const FieldDefinition &field);
    FieldDefinition *field(const QString &name);
    const FieldDefinition *field(const QString &name) const;
    bool removeField(const QString &name);

    // Active fields only: what records carry and clients may read and write.
    const FieldDefinition *activeField(const QString &name) const;
    const FieldDefinition *activeFieldByJoinColumn(const QString &column) const;
    QList<const FieldDefinition *> activeFields() const;
    QList<UniqueKey> uniqueKeys() const;

    QJsonObject toJson(const QString &createdAt) const; // the metadata API's object

private:
    QString m_id;
    QString m_nameSingular;
    QString m_namePlural;
    QString m_labelSingular;
    QString m_labelPlural;
    QList<FieldDefinition> m_fields;
};

} // namespace tf::emu
