#pragma once

#include "core/connector.h"

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
};

struct VerifyReport {
    QList<Layer> layers;
    int contactsCompared = 0;
    QList<ContactDifferences> contacts; // only contacts that differ
    QStringList errors;                 // a layer that could not be read makes the report inconclusive

    bool consistent() const { return contacts.isEmpty() && errors.isEmpty(); }
    // {"consistent": bool, "contacts": [{"contact_id", "differences": [{"field", "values": {layer: value}}]}]}
    // (DESIGN.md, `verify --json`).
    QJsonObject toJson() const;
};

// Compares contacts across layers field by field, in the canonical form, content fields only (each layer's own
// updated_at and the informative sync_meta are not content). A contact missing from a layer is a difference in
// contact_id. The core computes the differences; the CLI and the diff viewer only render them.
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
