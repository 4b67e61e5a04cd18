#pragma once

#include "core/syncengine.h"

#include <QTimer>
#include <functional>

namespace tf {

// Runs the engine's cycles: every interval, and soon after a layer says changes are waiting (Postgres NOTIFY, the
// SQLite change log, a webhook), debounced so a burst of edits makes one cycle. Polling stays the catch-up that
// never misses anything. Lives in the engine's thread.
class SyncScheduler : public QObject
{
    Q_OBJECT
public:
    SyncScheduler(SyncEngine *engine, int intervalSeconds, QObject *parent = nullptr);

    void setWakeUpDelay(int milliseconds) { m_debounce.setInterval(milliseconds); }
    bool isPaused() const { return m_paused; }
    bool isRunningCycle() const { return m_running; }

    // Runs `work` on this thread between cycles, in the order given: at once when idle, else right after the cycle
    // in flight. A cycle due meanwhile waits for the work and runs after it. The connectors wait for HTTP in nested
    // event loops, so without this a shell's request (safety check, diff, a person's choices) could start inside a
    // cycle, or a cycle inside such a request, on the same connectors.
    void runBetweenCycles(std::function<void()> work);

public slots:
    void start();             // first cycle now, then every interval
    void stop();              // no new cycle; the one in flight finishes its batch
    void pause();
    void resume();
    void syncNow();
    void wakeUp();            // a hint from a layer: cycle soon
    void setAllowMassDelete(bool allow) { m_options.allowMassDelete = allow; }

signals:
    void stateChanged();
    void stopped();

private:
    void runCycle();
    void runQueuedWork();

    SyncEngine *m_engine;
    QTimer m_interval;
    QTimer m_debounce;
    CycleOptions m_options;
    bool m_paused = false;
    bool m_running = false;
    bool m_stopping = false;
    bool m_pending = false;
    bool m_working = false;
    QList<std::function<void()>> m_work;
};

} // namespace tf
