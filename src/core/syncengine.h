#pragma once

#include "core/connector.h"
#include "core/cyclereport.h"
#include "core/statedatabase.h"
#include "core/syncconfig.h"
#include "core/threewaymerge.h"

#include <QMap>
#include <QObject>
#include <atomic>

namespace tf {

struct CycleOptions {
    bool dryRun = false;
    bool allowMassDelete = false;
    bool fullRescan = false;            // ignore the watermarks: everything every layer holds (initial sync)
    std::optional<Layer> pushSource;    // push: this layer's version wins every field
    QStringList contactIds;             // with pushSource: only these contacts
    QList<Layer> sourceLayers;          // layers whose changes are read; empty = every configured layer
    // A person's pick per field (contact → field → layer, the diff viewer): only these contacts are processed.
    QMap<QString, QMap<QString, Layer>> choices;
};

// The heart of the product. One cycle: pull each layer's changes since its watermark (canonical first), three-way
// merge every changed contact against its base, plan the writes (skipping layers that already hold the result:
// echo suppression by content hash), journal the plan, execute it layer by layer in fan-out order, record the new
// base and layer hashes, and only then move the watermark. Interrupted at any point, the next cycle re-reads the
// same page and re-applies it idempotently; the journal accounts for every write. Runs on the caller's thread
// (the shells give it a worker thread) and reports through signals.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    SyncEngine(StateDatabase *state, QMap<Layer, Connector *> connectors, SyncSettings settings,
               QObject *parent = nullptr);

    CycleReport runCycle(const CycleOptions &options = {});
    // The diff viewer's "Apply": a person picked the right layer for some fields of one contact. Those fields take
    // the chosen layers' values, the others merge as in any cycle, and the result fans out to every layer that
    // differs; the choice and each write are journaled, and open conflicts on the chosen fields count as resolved.
    // A field that is not content (or is contact_id) or a layer without a connector is refused before anything runs.
    CycleReport applyChoices(const QString &contactId, const QMap<QString, Layer> &choices);
    // Finish the batch in flight, then stop (SIGTERM, quitting the app).
    void requestStop() { m_stopRequested = true; }

    const QMap<Layer, Connector *> &connectors() const { return m_connectors; }

signals:
    void cycleStarted(const QString &cycleId);
    void progress(tf::Layer layer, int contactsProcessed);
    void writeApplied(const QString &contactId, tf::Layer layer, const QString &operation);
    void conflictDetected(const QString &contactId, const QString &field);
    void cycleFinished(const tf::CycleReport &report);
    // The cycle would delete more than max_delete_share of the contacts; it stopped before writing. Re-run with
    // allowMassDelete once a person has confirmed: a shell that does not answer means "no".
    void massDeleteBlocked(int deletes, int total);

private:
    struct Group; // the contacts of one page, with every layer's version of them

    QList<Layer> fanOutOrder() const;
    void recoverInterruptedJournal(CycleReport &report);
    bool processPage(Layer source, const QList<Contact> &reported, const CycleOptions &options,
                     const QMap<QString, QMap<QString, Layer>> &resolutions, CycleReport &report);
    bool loadVersions(Group &group, CycleReport &report);
    bool chosenLayersHold(const QString &contactId, const QMap<QString, Layer> &choices,
                          const QMap<Layer, Contact> &versions, CycleReport &report) const;
    void applyChosenValues(const QString &contactId, const QMap<QString, Layer> &choices,
                           const QMap<Layer, Contact> &versions, MergeResult &result, bool dryRun);
    void matchByPrimaryEmail(Layer source, Group &group);
    void reconcileVanished(const CycleOptions &options, CycleReport &report);
    bool execute(Group &group, CycleReport &report);
    bool writeLayer(Layer layer, Group &group, const QStringList &ids, CycleReport &report);
    QSet<Layer> changedLayers(const QString &contactId, const QMap<Layer, Contact> &versions) const;

    StateDatabase *m_state;
    QMap<Layer, Connector *> m_connectors;
    SyncSettings m_settings;
    QString m_cycleId;
    int m_deletesThisCycle = 0;
    QSet<QString> m_heldThisCycle;
    std::atomic_bool m_stopRequested{false};
};

} // namespace tf

Q_DECLARE_METATYPE(tf::CycleReport)
