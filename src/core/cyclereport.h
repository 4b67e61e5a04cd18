#pragma once

#include "core/layer.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

namespace tf {

// One write the planner decided on: what the journal records and `--dry-run` prints.
struct PlannedWrite {
    QString contactId;
    Layer layer = Layer::Local;
    QString operation; // create, update, tombstone
    QStringList fields; // the content fields that differ in that layer
};

// What a cycle did, for the CLI, the UI and the statistics. Counts are per layer name.
struct CycleReport {
    QString cycleId;
    QDateTime started;
    QDateTime finished;
    bool dryRun = false;
    QMap<Layer, int> pulled;   // contacts reported changed by each layer
    QMap<Layer, int> written;  // contacts written to each layer
    QMap<Layer, int> rejected; // poison records sent to the dead-letter list
    QMap<Layer, int> moved;    // writes not made: the layer changed the contact after it was read (re-planned)
    int contactsProcessed = 0;
    int echoesSuppressed = 0;  // reported changes that were the sync's own writes or a server's normalisation
    int conflicts = 0;
    int held = 0;              // contacts waiting in the manual conflict queue
    int plannedDeletes = 0;
    bool massDeleteBlocked = false;
    QList<PlannedWrite> plan;
    // Contacts held back because a layer holds a value not every layer can store ("contact ID: local: notes is not
    // valid UTF-8 at byte 17"); each is a dead letter and counts in `rejected`. Not errors: the cycle goes on.
    QStringList refusedValues;
    QStringList errors;

    bool clean() const { return errors.isEmpty() && !massDeleteBlocked; }
    int totalWritten() const;
    QJsonObject toJson() const;
};

} // namespace tf
