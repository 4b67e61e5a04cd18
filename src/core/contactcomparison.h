#pragma once

#include "core/contact.h"
#include "core/layer.h"

#include <QMap>
#include <optional>

namespace tf {

// One contact across the layers and against its base, field by field: the rows of the diff viewer. The core
// decides what differs (in the canonical form, so a server's normalisation is no difference); the viewer renders.
struct ContactComparison {
    struct Row {
        QString field;
        QMap<Layer, QString> values; // canonical text per layer holding the contact
        std::optional<QString> base; // the last synced value; none for a contact new to the sync
        bool layersDisagree = false; // two layers hold different values (or one lacks the contact)
        bool changedSinceSync = false; // some layer's value is not the base any more

        bool differs() const { return layersDisagree || changedSinceSync; }
    };

    QString contactId;
    QList<Layer> layers;     // the configured layers, in fan-out order
    QList<Layer> holding;    // the layers that hold the contact
    bool hasBase = false;
    QList<Row> rows;         // every content field, in registry order
    QStringList errors;      // layers that could not be read

    bool found() const { return !holding.isEmpty() || hasBase; }
    int differingRows() const;

    static ContactComparison of(const QString &contactId, const QList<Layer> &layers,
                                const QMap<Layer, Contact> &versions, const std::optional<Contact> &base);
};

} // namespace tf

Q_DECLARE_METATYPE(tf::ContactComparison)
