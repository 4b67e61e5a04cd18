#pragma once

#include <QList>
#include <QString>

namespace tf {

// How the engine holds a field's value in a Contact (see contact.h for the QVariant types).
enum class FieldKind {
    Text,       // QString; "" and NULL are the same value
    Float,      // double; NaN and infinities are not representable in every layer, so they mean NULL
    StringList, // QStringList; order kept, empty list and NULL are the same value
    Timestamp,  // QDateTime in UTC, compared at millisecond precision (Twenty keeps ms)
    Json,       // QJsonValue; compared canonically (object key order does not matter)
};

// Where the field lives in Twenty: a custom field we provision, or a standard person field.
struct TwentyMapping {
    bool custom = false;
    QString customType;  // TEXT, NUMBER, ARRAY, DATE_TIME, RAW_JSON (custom only)
    QString name;        // custom field name (tfContactId) or standard path (name.firstName, emails, ...)
    bool unique = false; // "(unique)" in the contract
};

// One row of contract/contact-fields.tsv, plus the kind the engine derives from it.
struct FieldSpec {
    int index = -1;
    QString name;
    QString category;
    FieldKind kind = FieldKind::Text;
    QString bigqueryType; // "STRING", "STRING REQUIRED", "STRING REPEATED", "FLOAT64", "TIMESTAMP", "JSON"
    QString postgresType;
    QString sqliteType;
    QString twenty; // the contract's Twenty column, verbatim
    QString notes;

    TwentyMapping twentyMapping() const;
    QString bigqueryBaseType() const; // first word of bigqueryType
    QString bigqueryMode() const;     // NULLABLE, REQUIRED or REPEATED
    // Whether the value takes part in the content hash and in diffs. updated_at is each layer's own
    // modification time and sync_meta is informative only (contract notes), so neither is content.
    bool isContent() const;
    // Twenty sets the time of a standard timestamp itself (deletedAt when a record goes to the trash), so that
    // layer can hold only whether the value is set, never the time the sync sent (the contract's Twenty column).
    bool isStampedByTwenty() const;
};

// The one table every mapping, DDL statement and diff iterates. Adding a field is one line in fieldregistry.cpp.
class FieldRegistry {
public:
    static const QList<FieldSpec> &fields();
    static const FieldSpec *find(const QString &name);
    static const FieldSpec &field(const QString &name); // asserts that the field exists
    static int indexOf(const QString &name);
    static int count();
    static QStringList names();
};

namespace field {
// Names the engine refers to directly; everything else is reached by iterating the registry.
inline const QString ContactId = QStringLiteral("contact_id");
inline const QString CrmId = QStringLiteral("crm_id");
inline const QString Emails = QStringLiteral("emails");
inline const QString Phones = QStringLiteral("phones");
inline const QString UpdatedAt = QStringLiteral("updated_at");
inline const QString CreatedAt = QStringLiteral("created_at");
inline const QString DeletedAt = QStringLiteral("deleted_at");
inline const QString SyncMeta = QStringLiteral("sync_meta");
inline const QString Organization = QStringLiteral("organization");
} // namespace field

} // namespace tf
