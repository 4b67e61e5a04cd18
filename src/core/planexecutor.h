#pragma once

#include "core/connector.h"
#include "core/cyclereport.h"
#include "core/statedatabase.h"
#include "core/syncplanner.h"

#include <functional>

namespace tf {

// A contact new to the sync that turned out to be one it has (same primary email, a person agreed): once the
// matched contact's result has landed, its own row becomes a tombstone and its id an alias of the other.
struct MergedStray {
    QString id;
    Layer layer = Layer::Local;
    Contact row;
};

// One contact's plan, with what the executor needs besides it.
struct PlannedContact {
    ContactPlan plan;
    QMap<Layer, Contact> versions; // each layer's version the plan was made from
    QList<MergedStray> strays;
    bool answersConflicts = false; // a person's picks decided fields: mark their conflicts applied
};

// The executing half of a cycle: journals every planned write before it is sent, writes layer by layer in fan-out
// order with the version each write was planned from, and commits each layer's outcome as soon as its write returns
// (the target becomes the base when the first layer holds it; each layer's record says what it holds). A write
// refused because the layer moved meanwhile is journaled and handed back to be re-read and re-planned, never
// retried blindly.
class PlanExecutor {
public:
    struct Settings {
        QList<Layer> layers; // fan-out order
        int batchSize = 100;
        QString cycleId;
        QMap<QString, Layer> mintedBy; // field → the layer that mints it (crm_id: Twenty)
    };
    struct Outcome {
        bool completed = true; // false: a layer failed; the rest of the cycle stops
        QStringList moved;     // contacts to re-read and re-plan
    };

    PlanExecutor(StateDatabase *state, const QMap<Layer, Connector *> &connectors, Settings settings);

    Outcome execute(QList<PlannedContact> &contacts, CycleReport &report);

    std::function<void(const QString &contactId, Layer layer, const QString &operation)> onWriteApplied;

private:
    struct Progress; // per contact: its current target, what each layer holds, whether the base moved

    void journal(QList<Progress> &progress, Layer layer, const QList<int> &indices, const QString &operation);
    bool writeLayer(Layer layer, QList<Progress> &progress, const QList<int> &indices, CycleReport &report,
                    Outcome &outcome);
    void commitTarget(Progress &progress);
    void recordStored(Progress &progress, Layer layer, const Contact &stored, CycleReport &report);
    void takeMintedIds(Progress &progress, Layer layer, const Contact &stored);
    QList<int> staleAfterMinting(const QList<Progress> &progress, Layer layer) const;
    void retireStrays(QList<Progress> &progress, CycleReport &report);

    StateDatabase *m_state;
    QMap<Layer, Connector *> m_connectors;
    Settings m_settings;
};

} // namespace tf
