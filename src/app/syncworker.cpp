#include "app/syncworker.h"

#include "connectors/demo/demostand.h"
#include "connectors/syncsession.h"
#include "core/consistencyverifier.h"
#include "core/syncscheduler.h"

#include <QFileInfo>
#include <QMutexLocker>

namespace tf {

namespace {

constexpr int kDemoContacts = 200;
constexpr int kHistoryLimit = 500;

QStringList failureLines(const QMap<Layer, QString> &failures)
{
    QStringList lines;
    for (auto it = failures.cbegin(); it != failures.cend(); ++it)
        lines << QStringLiteral("%1: %2").arg(layerName(it.key()), it.value());
    return lines;
}

} // namespace

SyncWorker::SyncWorker(QObject *parent)
    : QObject(parent)
{
}

SyncWorker::~SyncWorker() = default;

void SyncWorker::requestStop()
{
    QMutexLocker lock(&m_engineMutex);
    if (m_engine)
        m_engine->requestStop();
}

void SyncWorker::between(std::function<void()> work)
{
    m_pending.append({std::move(work), true});
    runPending();
}

void SyncWorker::serially(std::function<void()> work)
{
    m_pending.append({std::move(work), false});
    runPending();
}

void SyncWorker::runPending()
{
    // Nested in running work (a keychain or HTTP wait delivered this request) or in a cycle: the loop below, or the
    // end of the cycle (SyncScheduler::stateChanged), takes it.
    if (m_working || (m_scheduler && m_scheduler->isRunningCycle()))
        return;
    m_working = true;
    while (!m_pending.isEmpty() && !(m_scheduler && m_scheduler->isRunningCycle())) {
        Pending next = m_pending.takeFirst();
        // Through the scheduler, so no cycle starts inside the work; the session's own life (open, close) outside
        // it, since closing destroys the scheduler.
        if (next.betweenCycles && m_scheduler)
            m_scheduler->runBetweenCycles(std::move(next.work));
        else
            next.work();
    }
    m_working = false;
}

void SyncWorker::open(const QString &configPath, bool demo)
{
    serially([this, configPath, demo] {
        m_configPath = configPath;
        if (demo) {
            startDemo();
            return;
        }
        if (!QFileInfo::exists(m_configPath)) {
            setBlockers({QStringLiteral("no config file at %1: open Settings to create one").arg(m_configPath)});
            emit configMissing(m_configPath);
            return;
        }
        if (openSession())
            checkSafety();
    });
}

void SyncWorker::flushDemoLog()
{
    m_demoLogStream.flush();
    for (const QString &line : m_demoLog.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        emit message(line);
    m_demoLog.clear();
}

void SyncWorker::startDemo()
{
    emit message(QStringLiteral("demo: starting the stand-ins and a throwaway PostgreSQL..."));
    m_demo = std::make_unique<DemoStand>(m_demoLogStream);
    const QString error = m_demo->start();
    flushDemoLog();
    if (!error.isEmpty()) {
        setBlockers({QStringLiteral("demo: %1").arg(error)});
        return;
    }
    m_configPath = m_demo->configPath();
    if (!openSession())
        return;
    between([this] {
        QMap<Layer, QString> failures;
        m_session->provision(&failures);
        emit provisionFinished(failureLines(failures));
        if (failures.isEmpty()) {
            const QString seedError = m_demo->seed(*m_session, kDemoContacts);
            flushDemoLog();
            if (!seedError.isEmpty())
                emit message(QStringLiteral("demo: %1").arg(seedError));
        }
    });
    checkSafety();
}

bool SyncWorker::openSession()
{
    auto session = std::make_unique<SyncSession>(m_configPath);
    QString error;
    if (!session->open(&error)) {
        setBlockers({error});
        return false;
    }
    m_session = std::move(session);
    emit configOpened(m_configPath);
    SyncEngine *engine = m_session->engine();
    {
        QMutexLocker lock(&m_engineMutex);
        m_engine = engine;
    }
    connect(engine, &SyncEngine::cycleStarted, this, &SyncWorker::cycleStarted);
    connect(engine, &SyncEngine::writeApplied, this, &SyncWorker::writeApplied);
    connect(engine, &SyncEngine::conflictDetected, this, &SyncWorker::conflictDetected);
    connect(engine, &SyncEngine::massDeleteBlocked, this, &SyncWorker::massDeleteBlocked);
    connect(engine, &SyncEngine::progress, this, &SyncWorker::publishStatus);
    connect(engine, &SyncEngine::waiting, this, &SyncWorker::publishStatus);
    connect(engine, &SyncEngine::cycleFinished, this, [this](const CycleReport &report) {
        // A confirmation covers the cycle it was given for, never a later one.
        if (m_massDeleteConfirmed && m_scheduler && m_scheduler->isRunningCycle()) {
            m_massDeleteConfirmed = false;
            m_scheduler->setAllowMassDelete(false);
        }
        emit cycleFinished(report);
        publishStatus();
    });

    m_scheduler = std::make_unique<SyncScheduler>(engine, m_session->config().sync.intervalSeconds);
    connect(m_scheduler.get(), &SyncScheduler::stateChanged, this, [this] {
        publishStatus();
        // What waited for the cycle, from the event loop: not inside the scheduler's call, which it may destroy.
        QMetaObject::invokeMethod(this, &SyncWorker::runPending, Qt::QueuedConnection);
    });
    // Held until the safety check has run: like `tfsync run`, nothing syncs while the verdict is UNSAFE.
    m_checked = false;
    m_scheduler->pause();
    m_scheduler->start();
    publishStatus();
    return true;
}

void SyncWorker::closeSession(std::function<void()> then)
{
    requestStop(); // the cycle in flight finishes its batch, no more
    serially([this, then = std::move(then)] {
        if (m_scheduler)
            m_scheduler->stop(); // no cycle runs now (runPending waits for it), so this is immediate
        {
            QMutexLocker lock(&m_engineMutex);
            m_engine = nullptr;
        }
        m_scheduler.reset();
        m_session.reset();
        then();
    });
}

void SyncWorker::reload(const QString &configPath)
{
    closeSession([this, configPath] {
        m_configPath = configPath;
        m_blockers.clear();
        if (!QFileInfo::exists(m_configPath)) {
            setBlockers({QStringLiteral("no config file at %1").arg(m_configPath)});
            return;
        }
        if (openSession())
            checkSafety();
    });
}

void SyncWorker::shutdown()
{
    closeSession([this] {
        m_demo.reset();
        emit shutDown();
    });
}

void SyncWorker::setBlockers(const QStringList &blockers)
{
    m_blockers = blockers;
    applyPauseState();
    publishStatus();
}

void SyncWorker::applyPauseState()
{
    if (!m_scheduler)
        return;
    const bool hold = m_paused || !m_checked || !m_blockers.isEmpty();
    if (hold && !m_scheduler->isPaused())
        m_scheduler->pause();
    else if (!hold && m_scheduler->isPaused())
        m_scheduler->resume(); // and a cycle right away
}

void SyncWorker::publishStatus()
{
    if (!m_session) {
        emit statusChanged(SyncStatus::failed(m_blockers));
        return;
    }
    try {
        emit statusChanged(SyncStatus::collect(m_session->config(), *m_session->state(), m_session->connectorErrors(),
                                               // Busy, not idle, until the safety check has had its say.
                                               m_blockers, !m_checked || (m_scheduler && m_scheduler->isRunningCycle()),
                                               m_paused));
    } catch (const StateError &error) {
        emit statusChanged(SyncStatus::failed(m_blockers + QStringList{QString::fromUtf8(error.what())}));
    }
}

void SyncWorker::checkSafety()
{
    if (!m_session) {
        // Nothing to check against yet: say why, rather than leave the dialog waiting.
        SafetyReport report;
        for (const QString &blocker : std::as_const(m_blockers))
            report.items.append({QStringLiteral("configuration"), QString(), SafetyItem::Level::Fail, blocker,
                                 QStringLiteral("open Settings and save a configuration")});
        emit safetyReportReady(report);
        return;
    }
    between([this] {
        const SafetyReport report = m_session->safetyCheck();
        emit safetyReportReady(report);
        m_checked = true;
        QStringList blockers;
        QString held;
        if (!m_session->lockMachine(&held))
            blockers << held;
        if (report.verdict() == SafetyVerdict::Unsafe) {
            // One line for the window and the tray; the Safety check dialog lists every failure.
            QStringList failures;
            for (const SafetyItem &item : report.items) {
                if (item.level == SafetyItem::Level::Fail)
                    failures << (item.layer.isEmpty() ? QString() : item.layer + QStringLiteral(": ")) + item.message;
            }
            blockers << (failures.size() == 1 ? QStringLiteral("safety check UNSAFE: %1").arg(failures.first())
                                              : QStringLiteral("safety check UNSAFE: %1 (and %2 more failures)")
                                                    .arg(failures.first())
                                                    .arg(failures.size() - 1));
        }
        setBlockers(blockers);
    });
}

void SyncWorker::syncNow()
{
    if (!m_session) {
        if (QFileInfo::exists(m_configPath))
            reload(m_configPath);
        return;
    }
    if (!m_blockers.isEmpty()) {
        checkSafety(); // syncs at once if the problem is gone
        return;
    }
    if (m_paused)
        resume();
    else
        m_scheduler->syncNow();
}

void SyncWorker::pause()
{
    m_paused = true;
    if (m_massDeleteConfirmed && m_scheduler) {
        m_massDeleteConfirmed = false;
        m_scheduler->setAllowMassDelete(false);
    }
    applyPauseState();
    publishStatus();
}

void SyncWorker::resume()
{
    m_paused = false;
    applyPauseState();
    publishStatus();
}

void SyncWorker::confirmMassDelete()
{
    if (!m_scheduler)
        return;
    m_massDeleteConfirmed = true;
    m_scheduler->setAllowMassDelete(true);
    m_scheduler->syncNow();
}

void SyncWorker::runSafetyCheck()
{
    checkSafety();
}

void SyncWorker::provision()
{
    if (!m_session)
        return;
    between([this] {
        emit message(QStringLiteral("provisioning %1 layer(s)...").arg(m_session->config().configuredLayers().size()));
        QMap<Layer, QString> failures;
        m_session->provision(&failures);
        emit provisionFinished(failureLines(failures));
    });
    checkSafety();
}

void SyncWorker::loadHistory(const QString &contactId)
{
    if (!m_session)
        return;
    try {
        emit historyReady(contactId, m_session->state()->history(contactId, kHistoryLimit));
    } catch (const StateError &error) {
        emit message(QString::fromUtf8(error.what()));
    }
}

void SyncWorker::loadConflicts()
{
    if (!m_session)
        return;
    try {
        emit conflictsReady(m_session->state()->conflicts(), m_session->config().configuredLayers());
    } catch (const StateError &error) {
        emit message(QString::fromUtf8(error.what()));
    }
}

void SyncWorker::resolveConflict(qint64 conflictId, Layer layer)
{
    if (!m_session)
        return;
    // The state database only, no wait: safe even inside a cycle's HTTP wait (the engine holds no transaction
    // across a layer call), and the cycle in flight already read the resolutions it applies.
    try {
        const std::optional<ConflictRecord> record = m_session->state()->conflict(conflictId);
        if (!record || !record->open)
            emit message(QStringLiteral("conflict %1 is no longer open").arg(conflictId));
        else if (!record->values.contains(layerName(layer)))
            emit message(QStringLiteral("conflict %1: %2 holds no value of %3 to take").arg(conflictId).arg(layerName(layer), record->field));
        else
            m_session->state()->resolveConflict(conflictId, layerName(layer));
    } catch (const StateError &error) {
        emit message(QString::fromUtf8(error.what()));
    }
    loadConflicts();
    publishStatus();
}

void SyncWorker::answerPossibleDuplicate(qint64 conflictId, const QString &answer)
{
    if (!m_session)
        return;
    try {
        const std::optional<ConflictRecord> record = m_session->state()->conflict(conflictId);
        if (!record || !record->open || record->kind != ConflictRecord::Kind::PossibleDuplicate)
            emit message(QStringLiteral("possible duplicate %1 is no longer open").arg(conflictId));
        else if (!record->values.contains(answer))
            emit message(QStringLiteral("possible duplicate %1: '%2' is not an answer").arg(conflictId).arg(answer));
        else
            m_session->state()->resolveConflict(conflictId, answer);
    } catch (const StateError &error) {
        emit message(QString::fromUtf8(error.what()));
    }
    loadConflicts();
    publishStatus();
}

void SyncWorker::loadContactIds()
{
    if (!m_session)
        return;
    try {
        emit contactIdsReady(m_session->state()->baseIds());
    } catch (const StateError &error) {
        emit message(QString::fromUtf8(error.what()));
    }
}

void SyncWorker::compareContact(const QString &contactId)
{
    if (!m_session)
        return;
    between([this, contactId] {
        QMap<Layer, Contact> versions;
        QStringList errors = failureLines(m_session->connectorErrors());
        const QMap<Layer, Connector *> connectors = m_session->connectors();
        // Layer by layer: one unreachable layer must not hide the others.
        for (auto it = connectors.cbegin(); it != connectors.cend(); ++it) {
            try {
                const QMap<Layer, Contact> found = ConsistencyVerifier({{it.key(), it.value()}}).versionsOf(contactId);
                if (found.contains(it.key()))
                    versions.insert(it.key(), found.value(it.key()));
            } catch (const ConnectorError &error) {
                errors << QString::fromUtf8(error.what());
            }
        }
        std::optional<Contact> base;
        try {
            base = m_session->state()->base(contactId);
        } catch (const StateError &error) {
            errors << QString::fromUtf8(error.what());
        }
        ContactComparison comparison = ContactComparison::of(contactId, connectors.keys(), versions, base);
        comparison.errors = errors;
        emit comparisonReady(comparison);
    });
}

void SyncWorker::applyChoices(const QString &contactId, const QMap<QString, Layer> &choices)
{
    if (!m_session)
        return;
    between([this, contactId, choices] {
        const CycleReport report = m_session->engine()->applyChoices(contactId, choices);
        emit choicesApplied(contactId, report);
        publishStatus();
    });
}

} // namespace tf
