#pragma once

#include "core/contact.h"
#include "core/layer.h"
#include "core/syncconfig.h"

#include <QJsonObject>
#include <QMap>
#include <optional>

namespace tf {

// One field on which layers disagree against the base.
struct FieldConflict {
    QString field;
    QMap<Layer, QVariant> values; // the value each changed layer holds
    QVariant base;
    std::optional<Layer> winner;  // empty while a person has to decide (manual policy)
    QString rule;                 // why the winner won: "canonical", "latest write", "layer order", "resolved"
};

struct MergeInput {
    std::optional<Contact> base;              // the last merged version; none for a contact new to the sync
    QMap<Layer, Contact> versions;            // each layer's current version (layers without the contact absent)
    // What the sync last knew each layer to hold. A layer's changes are what differs from its own reference, so
    // a layer that a write reached while another did not (a cycle cut short) is not taken to have changed, and a
    // layer that missed a write is not taken to have reverted it. A layer without a reference is measured
    // against the base.
    QMap<Layer, Contact> references;
    ConflictPolicy policy = ConflictPolicy::Merge;
    QMap<QString, Layer> resolutions;         // field → layer a person chose in the conflict queue
    QMap<QString, Layer> mintedBy;            // field → the layer that mints its value (Twenty's record id)
    // Layers that stamp deletion times themselves (Twenty's deletedAt): there, only whether the field is set is a
    // change, never the time.
    QSet<Layer> stampingLayers;
};

struct MergeResult {
    Contact merged;
    QList<FieldConflict> conflicts;
    QMap<QString, Layer> fieldSources;       // which layer each changed field came from
    bool held = false;                       // manual policy with an unresolved conflict: write nothing
};

// The field-level three-way merge (DESIGN.md): a layer's changes are the fields that differ from what the sync last
// knew it held and from the base; changes to different fields in different layers merge; the same field changed to
// different values in two layers is a conflict resolved by the policy (`merge`: the canonical layer wins the field;
// `last-writer-wins`: the layer's own modification time; `manual`: held for a person). Layers that did not change
// take no part. Without a base (a contact new to the sync, or a state database rebuilt from the layers) nobody
// knows which value is the edit: differing values are held for a person, or decided by modification time under
// `last-writer-wins`; the canonical layer never wins such a field silently. The result is normalized.
class ThreeWayMerge
{
public:
    static MergeResult merge(const MergeInput &input);
};

} // namespace tf
