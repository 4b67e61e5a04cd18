#pragma once

#include "core/connector.h"
#include "core/statedatabase.h"
#include "core/syncconfig.h"

#include <QJsonObject>
#include <QMap>

namespace tf {

// Ordered by severity, computed in the core: the tray, the window and `tfsync check` show the same truth.
enum class SafetyVerdict { Safe, SafeWithWarnings, Unsafe };
QString safetyVerdictName(SafetyVerdict verdict); // SAFE, SAFE_WITH_WARNINGS, UNSAFE

struct SafetyItem {
    enum class Level { Pass, Warn, Fail };
    QString check;   // "configuration", "credentials", "reachable", "schema", ...
    QString layer;   // layer name, or empty for the whole sync
    Level level = Level::Pass;
    QString message;
    QString hint;    // how to fix it
};

struct SafetyReport {
    QList<SafetyItem> items;
    SafetyVerdict verdict() const;
    QJsonObject toJson() const;
};

// What the safety check needs from outside the core: which secrets were found, and whether another instance holds
// this machine's lock. The session fills it in.
struct SafetyContext {
    QMap<Layer, QString> missingSecrets; // layer → what is missing ("TF_TWENTY_API_KEY or the keychain entry")
    QMap<Layer, QString> credentialSources; // layer → where its credentials come from, in words
    QString anotherInstance; // what another instance holds ("another Truth Forge Sync is syncing with …"), or ""
    QMap<Layer, QString> connectorErrors; // layers whose connector could not even be built
};

// The pre-flight report (DESIGN.md "Safety check"): configuration, credentials, connectivity, schema of every
// layer against the field contract, change capture, clock skew, rate-limit headroom, open conflicts and dead
// letters, state database health and free disk, another instance, transaction pooler — each with a fix hint.
class SafetyCheck
{
public:
    SafetyCheck(const SyncConfig &config, StateDatabase *state, QMap<Layer, Connector *> connectors,
                SafetyContext context);
    SafetyReport run();

private:
    void checkConfiguration(SafetyReport &report);
    void checkLayers(SafetyReport &report);
    void checkState(SafetyReport &report);

    const SyncConfig &m_config;
    StateDatabase *m_state;
    QMap<Layer, Connector *> m_connectors;
    SafetyContext m_context;
};

} // namespace tf
