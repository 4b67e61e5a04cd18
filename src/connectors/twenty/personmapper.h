#pragma once

#include "core/contact.h"

#include <QJsonObject>
#include <optional>

namespace tf {

// Contact ⇄ Twenty person record, driven by the field registry (FieldSpec::twentyMapping()): custom fields by
// name and type, and the standard paths id, name.firstName/lastName, jobTitle, updatedAt, deletedAt, emails,
// phones and companyId. Values are written already in the form Twenty stores them (§4.3: emails lowercased with
// punycode domains, phones split, "" as null), so what it returns maps back to the same ContentHash.
class PersonMapper
{
public:
    // The body of an upsert: every mapped field, composite fields whole (§9 #14: a partial composite update
    // corrupts data). Server-set fields (updatedAt, deletedAt) are not sent. nullopt, with why in *error, when a
    // value has no place in Twenty (a phone without a known calling code).
    static std::optional<QJsonObject> toPerson(const Contact &contact, const QString &personId,
                                               const QString &companyId, QString *error);
    // A person as Twenty returns it; `companyName` is the name of its companyId (the caller resolves it).
    // Throws ConnectorError naming the person and the field when a value has the wrong JSON type.
    static Contact fromPerson(const QJsonObject &person, const QString &companyName);

    static QString personId(const QJsonObject &person);
    static QString contactId(const QJsonObject &person); // tfContactId, "" when a person in Twenty never had one
    static QString companyId(const QJsonObject &person);
    static QDateTime updatedAt(const QJsonObject &person);
    static QDateTime deletedAt(const QJsonObject &person);

    // Twenty's name of the contract's contact_id (tfContactId) and primary email path, for filters.
    static QString contactIdField();
    static QString primaryEmailField();
};

} // namespace tf
