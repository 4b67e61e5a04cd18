#include "core/syncscheduler.h"

namespace tf {

SyncScheduler::SyncScheduler(SyncEngine *engine, int intervalSeconds, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    m_interval.setInterval(intervalSeconds * 1000);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(2000);
    connect(&m_interval, &QTimer::timeout, this, &SyncScheduler::runCycle);
    connect(&m_debounce, &QTimer::timeout, this, &SyncScheduler::runCycle);
    for (Connector *connector : engine->connectors())
        connect(connector, &Connector::changesAvailable, this, &SyncScheduler::wakeUp);
}

void SyncScheduler::start()
{
    m_stopping = false;
    m_interval.start();
    QTimer::singleShot(0, this, &SyncScheduler::runCycle);
}

void SyncScheduler::stop()
{
    m_stopping = true;
    m_interval.stop();
    m_debounce.stop();
    if (m_running)
        m_engine->requestStop(); // stopped() follows when the batch in flight is done
    else
        emit stopped();
}

void SyncScheduler::pause()
{
    m_paused = true;
    emit stateChanged();
}

void SyncScheduler::resume()
{
    m_paused = false;
    emit stateChanged();
    syncNow();
}

void SyncScheduler::syncNow()
{
    QTimer::singleShot(0, this, &SyncScheduler::runCycle);
}

void SyncScheduler::wakeUp()
{
    if (!m_stopping)
        m_debounce.start();
}

void SyncScheduler::runBetweenCycles(std::function<void()> work)
{
    m_work.append(std::move(work));
    if (!m_running)
        runQueuedWork();
}

void SyncScheduler::runQueuedWork()
{
    if (m_working)
        return; // queued from inside running work: the loop below picks it up
    m_working = true;
    while (!m_work.isEmpty())
        m_work.takeFirst()();
    m_working = false;
    if (m_pending && !m_running) {
        m_pending = false;
        syncNow();
    }
}

void SyncScheduler::runCycle()
{
    if (m_paused || m_stopping)
        return;
    if (m_running || m_working) {
        m_pending = true; // a wake-up during a cycle or queued work: one more cycle right after
        return;
    }
    m_running = true;
    emit stateChanged();
    m_engine->runCycle(m_options);
    m_running = false;
    emit stateChanged();
    runQueuedWork();
    if (m_stopping) {
        emit stopped();
        return;
    }
    if (m_pending) {
        m_pending = false;
        syncNow();
    }
}

} // namespace tf
