#pragma once

#include "core/contact.h"
#include "core/layer.h"
#include "core/syncconfig.h"
#include "core/threewaymerge.h"

#include <QMap>
#include <optional>

namespace tf {

// What the sync last knew a layer to hold of a contact (StateDatabase::layerRecord).
struct LayerRecord {
    QString hash; // content hash of what the layer stored
    std::optional<Contact>
        snapshot; // that content, when it is not the base; none: the layer holds its form of the base
};

// Everything the planner is told about one contact; the engine gathers it from the layers and the state database.
struct ContactState {
    QString contactId;
    std::optional<Contact> base;   // the last merged version; none: new to the sync, or state rebuilt
    QMap<Layer, Contact> versions; // each layer's version read this cycle (layers without it absent)
    // What a layer proposes instead of its version, for the merge only: a duplicate a person merged into this
    // contact is that layer's edit of it. Writes are still planned from, and conditional on, the real versions.
    QMap<Layer, Contact> proposals;
    QMap<Layer, LayerRecord> recorded;        // what the sync last knew each layer to hold
    QMap<Layer, QString> deadLetterHashes;    // content a layer refused before: not sent there again unchanged
    QMap<QString, Layer> resolutions;         // a person's pick per field (conflict queue, diff viewer)
};

// The declared habits of the layers and the cycle's settings: the planner has no other source of knowledge.
struct PlannerSettings {
    QList<Layer> layers; // the connected layers, in fan-out order (canonical first)
    ConflictPolicy policy = ConflictPolicy::Merge;
    std::optional<Layer> pushSource; // push: this layer's version wins every field
    QMap<QString, Layer> mintedBy;   // field → the layer that mints its value (Connector::mintedField)
    QSet<Layer> stampingLayers;      // layers that stamp deletion times themselves (Connector::stampsDeletions)
    QString cycleId;
};

// One write the plan asks of a layer. `expected` is the version the layer held when the plan was made: the
// connector writes only if the layer still holds it (none: only if the layer still lacks the contact).
struct LayerWrite {
    Layer layer = Layer::Local;
    QString operation;  // create | update | tombstone
    QStringList fields; // the content fields that change there
    std::optional<Contact> expected;
};

struct ContactPlan {
    QString contactId;
    MergeResult merge; // the target (merge.merged, with sync_meta), its conflicts, held or not
    QString targetHash;
    QString baseHash;
    QList<LayerWrite> writes; // in fan-out order
    QList<Layer> inSync;      // layers that already hold the target
    bool echo = false;        // nothing moved and nothing to write: what the layers report is the sync's own
    bool tombstones() const;  // the plan deletes a contact some layer holds live
};

// The pure half of a cycle (DESIGN.md: versions in, plan with expected versions out): the three-way merge of one
// contact and the writes that bring every layer to the result. No I/O: the engine gathers ContactState, the
// executor carries the plan out.
class SyncPlanner {
public:
    explicit SyncPlanner(PlannerSettings settings);

    ContactPlan plan(const ContactState &state) const;

    // A layer's changes are measured from this: what the layer held when the sync last recorded it, or the
    // version read now when it is still exactly that (so its own rewrites of the sync's values are no change).
    std::optional<Contact> reference(const ContactState &state, Layer layer) const;
    // The hash a planned target is known by until its commit is recorded (StateDatabase::savePlannedCommit): the
    // content without the ids a layer mints (the CRM's answer carries an id the plan did not know).
    static QString intentHash(Contact contact, const QMap<QString, Layer> &mintedBy);

private:
    MergeResult merge(const ContactState &state) const;
    bool inSync(const ContactState &state, Layer layer, const QString &targetHash) const;

    PlannerSettings m_settings;
};

} // namespace tf
