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

    // Changes the loaded settings before anything is built from them (command-line overrides such as --interval).
    void setOverrides(std::function<void(SyncConfig &)> overrides) { m_overrides = std::move(overrides); }
    // False with a message when the config file or the state database is unusable. Errors in the file's content
    // are in config().errors: the caller decides (a sync refuses them, the safety check reports them). A layer whose
    // connector cannot be built is kept in connectorErrors() and skipped (the safety check reports it).
    bool open(QString *error);

    const SyncConfig &config() const { return m_config; }
    StateDatabase *state() { return m_state.get(); }
    QMap<Layer, Connector *> connectors() const;
    const QMap<Layer, QString> &connectorErrors() const { return m_connectorErrors; }
    SyncEngine *engine() { return m_engine.get(); }

    // One sync process per state database and per local SQLite file on this machine: two instances with different
    // state databases would otherwise both write the one file, each taking the other's writes for edits. QLockFile;
    // the lock of a dead process is taken over. False with `held` naming what another instance holds.
    bool lockMachine(QString *held = nullptr);
    // What another instance holds, in words ("" when nothing).
    QString heldByAnotherInstance() const;
    void unlockMachine();

    SafetyReport safetyCheck();
    void provision(QMap<Layer, QString> *failures);

private:
    QString m_configPath;
    std::function<void(SyncConfig &)> m_overrides;
    SyncConfig m_config;
    std::unique_ptr<StateDatabase> m_state;
    std::map<Layer, std::unique_ptr<Connector>> m_connectors;
    QMap<Layer, QString> m_connectorErrors;
    std::unique_ptr<SyncEngine> m_engine;
    QStringList lockedPaths() const; // the files whose `.lock` this session takes
    std::vector<std::unique_ptr<QLockFile>> m_locks;
};

} // namespace tf
