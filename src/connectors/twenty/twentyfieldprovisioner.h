#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace tf {

class TwentyClient;
struct TwentyReply;

// One custom field of the contract on Twenty's person object, as the metadata API describes it.
struct TwentyFieldState {
    QString contractField; // contact_id, external_ref, ...
    QString name;          // its Twenty name: tfContactId, externalRef, ...
    QString type;          // what the contract says: TEXT, NUMBER, ARRAY, DATE_TIME, RAW_JSON
    bool unique = false;   // the contract wants isUnique (tfContactId)
    QString fieldId;       // metadata id; "" when the field is missing
    QString actualType;
    bool actualUnique = false;
    bool active = true;

    bool missing() const { return fieldId.isEmpty(); }
    bool ok() const { return !missing() && actualType == type && active && (!unique || actualUnique); }
    QString problem() const; // "" when ok
};

// The contract's custom fields through Twenty's metadata API (twenty-rest.md §4.2): the person object's id from
// GET /rest/metadata/objects, its fields from GET /rest/metadata/fields, and POST /rest/metadata/fields for each
// missing one with the contract's type (tfContactId with isUnique, so the upsert can match on it).
class TwentyFieldProvisioner
{
public:
    explicit TwentyFieldProvisioner(TwentyClient &client);

    QList<TwentyFieldState> inspect();
    // Creates what is missing and makes tfContactId unique; returns the names it created (none the second time).
    // A field of another type or a deactivated one is a Schema error: changing it would lose data in Twenty.
    QStringList provision();

private:
    QString personObjectId();
    QList<TwentyFieldState> inspect(const QString &personObjectId);
    void require(const TwentyReply &reply);

    TwentyClient &m_client;
};

} // namespace tf
