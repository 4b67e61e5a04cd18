#pragma once

#include "core/layer.h"
#include "core/statedatabase.h"
#include "core/syncconfig.h"

#include <QDateTime>
#include <QMap>
#include <QStringList>

namespace tf {

// One layer as every shell shows it.
struct LayerStatus {
    Layer layer = Layer::Local;
    bool configured = false;
    QString watermark;
    int pulledLastCycle = 0;
    int writtenLastCycle = 0;
    int rejectedLastCycle = 0;
    QString error; // why the layer is not syncing: its connector could not be built, or the last cycle failed there
    QDateTime waitingUntil; // valid while the layer sits out a rate limit or a server's Retry-After
    QString waitReason;
    QString waitText(const QDateTime &now) const; // "waits 42 s: the server asked to wait (Retry-After)", or ""
};

// What the sync is doing and whether everything is in sync, computed in one place (STYLE.md: one status enum,
// ordered by severity, computed in the core) so the tray icon, the window and the CLI never disagree: the icon is
// not "idle" while a refused record, an open conflict or a failed cycle keeps a layer out of sync.
struct SyncStatus {
    enum class State { Idle, Syncing, Paused, Error }; // by severity: the worst condition that holds wins

    State state = State::Idle;
    bool running = false; // a cycle is in flight (also while an error shows)
    bool paused = false;  // the person paused the sync (also while an error shows)
    QList<LayerStatus> layers; // all four, in fan-out order
    int contacts = 0;
    int totalSynced = 0;
    int openConflicts = 0;
    int deadLetters = 0;
    QDateTime lastSyncTime; // the end of the last clean cycle; invalid if none
    QStringList problems;   // each reason for State::Error, one sentence

    // `layerErrors`: layers whose connector could not be built; `blockers`: what keeps the shell from syncing at all
    // (the config, the safety verdict, another instance). Reads the state database: call it on the engine's thread.
    static SyncStatus collect(const SyncConfig &config, const StateDatabase &state,
                              const QMap<Layer, QString> &layerErrors, const QStringList &blockers, bool running,
                              bool paused);
    // A status for a shell whose state database could not even be opened.
    static SyncStatus failed(const QStringList &blockers);

    QString summary() const; // one line: the tray tooltip and the status bar
};

QString syncStateName(SyncStatus::State state); // idle, syncing, paused, error

} // namespace tf

Q_DECLARE_METATYPE(tf::SyncStatus)
