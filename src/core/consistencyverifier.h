#pragma once

#include "core/connector.h"
#include "core/valuevalidator.h"

#include <QJsonObject>
#include <QMap>

namespace tf {

struct FieldDifference {
    QString field;
    QMap<Layer, QJsonValue> values; // every configured layer; null where the layer lacks the value or the contact
};

struct ContactDifferences {
    QString contactId;
    QList<FieldDifference> differences;
    // Values a layer holds that not every layer can store (ValueValidator): the sync refuses the contact until they
    // are fixed there, so it is listed even where the values compare equal.
    QList<RefusedValue> refused;
};

struct VerifyReport {
    QList<Layer> layers;
    int contactsCompared = 0;
    QList<ContactDifferences> contacts; // only contacts that differ
    QStringList errors;                 // a layer that could not be read makes the report inconclusive

    bool consistent() const { return contacts.isEmpty() && errors.isEmpty(); }
    // {"consistent": bool, "contacts": [{"contact_id", "differences": [{"field", "values": {layer: value}}]}]}
    // (DESIGN.md, `verify --json`); a contact with refused values also has "refused": [{"layer", "field", "reason",
    // "message"}] (a key added to the contract's shape, never changing it).
    QJsonObject toJson() const;
};

// Compares contacts across layers field by field, in the canonical form, content fields only (each layer's own
// updated_at and the informative sync_meta are not content). A contact missing from a layer is a difference in
// contact_id. Every version read is also checked by ValueValidator, the engine's own check, so a contact the sync
// refuses is reported with why, from what the layers hold now. The core computes the differences; the CLI and the diff
// viewer only render them.
class ConsistencyVerifier
{
public:
    explicit ConsistencyVerifier(QMap<Layer, Connector *> connectors, int pageSize = 500);

    VerifyReport verify(const QStringList &contactIds = {});
    // One contact across the layers, all content fields (the diff viewer's rows), differing or not.
    QMap<Layer, Contact> versionsOf(const QString &contactId);

private:
    QHash<QString, Contact> readLayer(Connector *connector, const QStringList &contactIds);

    QMap<Layer, Connector *> m_connectors;
    int m_pageSize;
};

} // namespace tf
