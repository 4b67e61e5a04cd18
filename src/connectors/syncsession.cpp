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

bool SyncSession::open(QString *error)
{
    m_config = SyncConfig::load(m_configPath);
    if (!QFileInfo::exists(m_configPath)) {
        *error = m_config.errors.value(0);
        return false;
    }
    if (m_overrides)
        m_overrides(m_config);
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

QStringList SyncSession::lockedPaths() const
{
    QStringList paths{m_config.sync.statePath};
    if (m_config.local)
        paths << m_config.local->path;
    return paths;
}

namespace {

QString lockPath(const QString &path)
{
    return path + QStringLiteral(".lock");
}

QString holderOf(const QString &path)
{
    return QStringLiteral("another Truth Forge Sync is syncing with %1").arg(path);
}

} // namespace

bool SyncSession::lockMachine(QString *held)
{
    if (!m_locks.empty())
        return true;
    std::vector<std::unique_ptr<QLockFile>> locks;
    for (const QString &path : lockedPaths()) {
        auto lock = std::make_unique<QLockFile>(lockPath(path));
        lock->setStaleLockTime(0); // only a dead owner makes it stale, never its age
        if (!lock->tryLock(0)) {
            if (held)
                *held = holderOf(path);
            return false; // the locks taken so far are released with `locks`
        }
        locks.push_back(std::move(lock));
    }
    m_locks = std::move(locks);
    return true;
}

QString SyncSession::heldByAnotherInstance() const
{
    if (!m_locks.empty())
        return {};
    for (const QString &path : lockedPaths()) {
        QLockFile probe(lockPath(path));
        probe.setStaleLockTime(0);
        if (!probe.tryLock(0))
            return holderOf(path);
        probe.unlock();
    }
    return {};
}

void SyncSession::unlockMachine()
{
    m_locks.clear();
}

SafetyReport SyncSession::safetyCheck()
{
    SafetyContext context;
    for (Layer layer : m_config.configuredLayers()) {
        const QString missing = ConnectorFactory::missingSecret(layer, m_config);
        if (!missing.isEmpty())
            context.missingSecrets.insert(layer, missing);
        else
            context.credentialSources.insert(layer, ConnectorFactory::credentialSource(layer, m_config));
    }
    context.connectorErrors = m_connectorErrors;
    context.anotherInstance = heldByAnotherInstance();
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
