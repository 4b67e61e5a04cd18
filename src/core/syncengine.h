#pragma once

#include "core/connector.h"
#include "core/cyclereport.h"
#include "core/statedatabase.h"
#include "core/syncconfig.h"
#include "core/syncplanner.h"
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

// The heart of the product. One cycle: read each layer's changes since its watermark and count the deletes they
// would make (the mass-delete guard decides before anything is written); then page by page: read every layer's
// version of the changed contacts, plan each contact (SyncPlanner: three-way merge against what each layer last
// held, writes with the versions they were planned from), and execute the plan (PlanExecutor: journal, conditional
// writes, each layer's outcome committed as it lands); contacts a layer changed meanwhile are re-read and
// re-planned; only then does the watermark move. Interrupted at any point, the next cycle re-reads the same page
// and re-applies it idempotently; the journal accounts for every write. Runs on the caller's thread (the shells
// give it a worker thread) and reports through signals.
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
    // The cycle would delete more than max_delete_share of the contacts; it stopped before writing anything.
    // Re-run with allowMassDelete once a person has confirmed: a shell that does not answer means "no".
    void massDeleteBlocked(int deletes, int total);
    // A layer pauses (rate limit, Retry-After, backoff); also kept in the state database for `tfsync status`.
    void waiting(tf::Layer layer, qint64 ms, const QString &reason);

private:
    struct Group;       // the contacts of one page, with every layer's version of them
    struct SourceReads; // one layer's change pages, read ahead for the mass-delete guard

    using Resolutions = QMap<QString, QMap<QString, Layer>>; // contact → field → layer

    void noteWait(Layer layer, qint64 ms, const QString &reason);
    QList<Layer> fanOutOrder() const;
    PlannerSettings plannerSettings(const CycleOptions &options) const;
    void runSteps(const CycleOptions &options, CycleReport &report);
    void recoverInterruptedJournal();
    QList<Layer> sourceLayers(const CycleOptions &options) const;
    SourceReads readAhead(Layer source, const CycleOptions &options, QSet<QString> &deletes);
    QMap<Layer, QList<Contact>> vanishedTombstones(const CycleOptions &options, QSet<QString> &deletes,
                                                   QList<Layer> &checkedLayers);
    bool guardMassDelete(const QSet<QString> &deletes, const CycleOptions &options, CycleReport &report);
    void processSource(Layer source, SourceReads &reads, const CycleOptions &options, CycleReport &report);
    bool processPage(Layer source, const QList<Contact> &reported, bool reread, const CycleOptions &options,
                     const Resolutions &resolutions, CycleReport &report, int round = 0);
    bool loadVersions(Group &group, const QStringList &ids, CycleReport &report);
    void matchPossibleDuplicates(Group &group);
    void foldStrays(Group &group);
    void replayLostCommits(const Group &group, const QMap<QString, Layer> &mintedBy);
    ContactState contactState(const Group &group, const QString &contactId) const;
    bool chosenLayersHold(const QString &contactId, const QMap<QString, Layer> &choices,
                          const QMap<Layer, Contact> &versions, CycleReport &report) const;
    void recordDecisions(const ContactPlan &plan, const QMap<QString, Layer> &choices,
                         const QMap<Layer, Contact> &versions);

    StateDatabase *m_state;
    QMap<Layer, Connector *> m_connectors;
    SyncSettings m_settings;
    QString m_cycleId;
    QSet<QString> m_heldThisCycle;
    QSet<QString> m_touchedThisCycle; // contacts written this cycle: a page read ahead holds stale versions of them
    QSet<QString> m_refusedThisCycle; // contacts holding a value not every layer can store (ValueGate)
    std::atomic_bool m_stopRequested{false};
};

} // namespace tf

Q_DECLARE_METATYPE(tf::CycleReport)
