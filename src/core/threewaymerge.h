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
    std::optional<Contact> base;              // the last synced version; none for a contact new to the sync
    QMap<Layer, Contact> versions;            // each layer's current version (layers without the contact absent)
    QSet<Layer> changed;                      // layers whose version differs from what the sync last left there
    ConflictPolicy policy = ConflictPolicy::Merge;
    QMap<QString, Layer> resolutions;         // field → layer a person chose in the conflict queue
};

struct MergeResult {
    Contact merged;
    QList<FieldConflict> conflicts;
    QMap<QString, Layer> fieldSources;       // which layer each changed field came from
    bool held = false;                       // manual policy with an unresolved conflict: write nothing
};

// The field-level three-way merge (DESIGN.md): against the base, changes to different fields in different layers
// merge; the same field changed to different values in two layers is a conflict resolved by the policy
// (`merge`: the canonical layer wins the field; `last-writer-wins`: the layer's own modification time;
// `manual`: held for a person). Layers that did not change take no part. The result is normalized.
class ThreeWayMerge
{
public:
    static MergeResult merge(const MergeInput &input);
};

} // namespace tf
