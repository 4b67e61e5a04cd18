#pragma once

#include "core/connector.h"
#include "core/safetycheck.h"
#include "core/statedatabase.h"
#include "core/syncconfig.h"
#include "core/syncengine.h"

#include <QFileInfo>
#include <QLockFile>
#include <functional>
#include <memory>

namespace tf {

// Everything one sync process works with, built from the config file: the state database, a connector per
// configured layer, the engine, and this machine's lock. The desktop app and the CLI both start from here, so they
// see the same layers, the same engine and the same safety verdict.
class SyncSession
{
public:
    explicit SyncSession(QString configPath);
    ~SyncSession();

    // False with a message when the config or the state database is unusable. A layer whose connector cannot be
    // built is kept in connectorErrors() and skipped (the safety check reports it).
    // `adjust` may change the loaded settings first (command-line overrides such as --interval).
    bool open(QString *error, const std::function<void(SyncConfig &)> &adjust = {});

    const SyncConfig &config() const { return m_config; }
    StateDatabase *state() { return m_state.get(); }
    QMap<Layer, Connector *> connectors() const;
    const QMap<Layer, QString> &connectorErrors() const { return m_connectorErrors; }
    SyncEngine *engine() { return m_engine.get(); }

    // One sync process per state database on this machine (QLockFile, stale locks of dead processes are taken over).
    bool lockMachine();
    bool anotherInstanceRunning();
    void unlockMachine();

    SafetyReport safetyCheck();
    void provision(QMap<Layer, QString> *failures);

private:
    QString m_configPath;
    SyncConfig m_config;
    std::unique_ptr<StateDatabase> m_state;
    std::map<Layer, std::unique_ptr<Connector>> m_connectors;
    QMap<Layer, QString> m_connectorErrors;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace tf
