#pragma once

#include "core/contactcomparison.h"
#include "core/safetycheck.h"
#include "core/syncengine.h"
#include "core/syncstatus.h"

#include <QMutex>
#include <QObject>
#include <QTextStream>
#include <functional>
#include <memory>

namespace tf {

class DemoStand;
class SyncScheduler;
class SyncSession;

// The engine's side of the desktop app. Lives in its own QThread and builds everything there (the SyncSession with
// its QSqlDatabase connections and QNetworkAccessManagers is per thread), runs the SyncScheduler, and forwards the
// engine's signals. The UI reaches it only through queued signals and slots, so no widget ever waits on a layer.
// Requests run one at a time, and those touching a connector or the engine between cycles (SyncScheduler::
// runBetweenCycles): the connectors and the keychain wait in nested event loops, which would otherwise deliver a
// request in the middle of another request or of a cycle.
class SyncWorker : public QObject
{
    Q_OBJECT
public:
    explicit SyncWorker(QObject *parent = nullptr);
    ~SyncWorker() override;

    // Any thread: the cycle in flight finishes its batch, then stops (quitting the app).
    void requestStop();

public slots:
    // Builds the session from `configPath` (or, with `demo`, from a DemoStand it starts, seeds and provisions).
    void open(const QString &configPath, bool demo);
    // The config changed (Settings): closes the session and opens `configPath` again.
    void reload(const QString &configPath);
    void syncNow();
    void pause();
    void resume();
    void confirmMassDelete();
    void runSafetyCheck();
    void provision();
    void loadHistory(const QString &contactId);
    void loadConflicts();
    void resolveConflict(qint64 conflictId, tf::Layer layer);
    // A person's answer to a possible duplicate: ConflictRecord::kMerge or kKeepBoth.
    void answerPossibleDuplicate(qint64 conflictId, const QString &answer);
    void loadContactIds();
    void compareContact(const QString &contactId);
    void applyChoices(const QString &contactId, const QMap<QString, tf::Layer> &choices);
    // Stops the scheduler between cycles, closes the session and the demo stand-ins, then emits shutDown().
    void shutdown();

signals:
    void message(const QString &text); // progress of slow steps (demo start-up, provisioning)
    void configMissing(const QString &configPath);
    void configOpened(const QString &configPath); // the session runs on this file (the demo's is a temporary one)
    void statusChanged(const tf::SyncStatus &status);
    void cycleStarted(const QString &cycleId);
    void writeApplied(const QString &contactId, tf::Layer layer, const QString &operation);
    void conflictDetected(const QString &contactId, const QString &field);
    void cycleFinished(const tf::CycleReport &report);
    void massDeleteBlocked(int deletes, int total);
    void safetyReportReady(const tf::SafetyReport &report);
    void provisionFinished(const QStringList &failures);
    void historyReady(const QString &contactId, const QList<tf::JournalEntry> &entries);
    void conflictsReady(const QList<tf::ConflictRecord> &conflicts, const QList<tf::Layer> &layers);
    void contactIdsReady(const QStringList &contactIds);
    void comparisonReady(const tf::ContactComparison &comparison);
    void choicesApplied(const QString &contactId, const tf::CycleReport &report);
    void shutDown();

private:
    bool openSession();
    void closeSession(std::function<void()> then);
    void startDemo();
    void flushDemoLog();
    void between(std::function<void()> work);  // touches a layer or the engine: between cycles
    void serially(std::function<void()> work); // opens or closes the session: outside the scheduler
    void runPending();
    void checkSafety();
    void applyPauseState();
    void publishStatus();
    void setBlockers(const QStringList &blockers);

    QString m_configPath;
    QString m_demoLog;
    QTextStream m_demoLogStream{&m_demoLog};
    std::unique_ptr<DemoStand> m_demo;
    std::unique_ptr<SyncSession> m_session;
    std::unique_ptr<SyncScheduler> m_scheduler;
    QStringList m_blockers;      // why nothing syncs: the config, the safety verdict, another instance
    bool m_paused = false;       // the person's pause
    bool m_checked = false;      // the safety check ran on this session
    bool m_massDeleteConfirmed = false;
    struct Pending {
        std::function<void()> work;
        bool betweenCycles = true;
    };
    // One request at a time, in order: a request delivered inside another's nested event loop waits for it.
    QList<Pending> m_pending;
    bool m_working = false;
    QMutex m_engineMutex;        // guards m_engine for requestStop() from the UI thread
    SyncEngine *m_engine = nullptr;
};

} // namespace tf
