#include "connectors/syncsession.h"

#include "connectors/connectorfactory.h"

namespace tf {

SyncSession::SyncSession(QString configPath)
    : m_configPath(std::move(configPath))
{
}

SyncSession::~SyncSession()
{
    m_engine.reset();
    m_connectors.clear();
}

bool SyncSession::open(QString *error, const std::function<void(SyncConfig &)> &adjust)
{
    m_config = SyncConfig::load(m_configPath);
    if (!QFileInfo::exists(m_configPath)) {
        *error = m_config.errors.value(0);
        return false;
    }
    if (adjust)
        adjust(m_config);
    m_state = std::make_unique<StateDatabase>(m_config.sync.statePath);
    try {
        m_state->open();
    } catch (const StateError &stateError) {
        *error = QString::fromUtf8(stateError.what());
        m_state.reset();
        return false;
    }
    for (Layer layer : m_config.configuredLayers()) {
        try {
            m_connectors[layer] = ConnectorFactory::create(layer, m_config);
        } catch (const ConnectorError &connectorError) {
            m_connectorErrors.insert(layer, QString::fromUtf8(connectorError.what()));
        }
    }
    m_engine = std::make_unique<SyncEngine>(m_state.get(), connectors(), m_config.sync);
    return true;
}

QMap<Layer, Connector *> SyncSession::connectors() const
{
    QMap<Layer, Connector *> map;
    for (const auto &[layer, connector] : m_connectors)
        map.insert(layer, connector.get());
    return map;
}

bool SyncSession::lockMachine()
{
    if (!m_lock) {
        m_lock = std::make_unique<QLockFile>(m_config.sync.statePath + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(0); // only a dead owner makes it stale, never its age
    }
    return m_lock->isLocked() || m_lock->tryLock(0);
}

bool SyncSession::anotherInstanceRunning()
{
    if (m_lock && m_lock->isLocked())
        return false;
    QLockFile probe(m_config.sync.statePath + QStringLiteral(".lock"));
    probe.setStaleLockTime(0);
    if (probe.tryLock(0)) {
        probe.unlock();
        return false;
    }
    return true;
}

void SyncSession::unlockMachine()
{
    if (m_lock && m_lock->isLocked())
        m_lock->unlock();
}

SafetyReport SyncSession::safetyCheck()
{
    SafetyContext context;
    for (Layer layer : m_config.configuredLayers()) {
        const QString missing = ConnectorFactory::missingSecret(layer, m_config);
        if (!missing.isEmpty())
            context.missingSecrets.insert(layer, missing);
    }
    context.connectorErrors = m_connectorErrors;
    context.anotherInstanceRunning = anotherInstanceRunning();
    return SafetyCheck(m_config, m_state.get(), connectors(), context).run();
}

void SyncSession::provision(QMap<Layer, QString> *failures)
{
    *failures = m_connectorErrors;
    for (const auto &[layer, connector] : m_connectors) {
        try {
            connector->provision();
        } catch (const ConnectorError &error) {
            failures->insert(layer, QString::fromUtf8(error.what()));
        }
    }
}

} // namespace tf
