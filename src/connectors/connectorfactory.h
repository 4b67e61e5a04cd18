#pragma once

#include "core/connector.h"
#include "core/syncconfig.h"

#include <memory>

namespace tf {

// Builds the connector of a configured layer, with its credentials from the SecretStore. Throws ConnectorError
// (Configuration or Authentication) naming what is missing.
class ConnectorFactory
{
public:
    static std::unique_ptr<Connector> create(Layer layer, const SyncConfig &config);
    // What a configured layer lacks to authenticate (empty when nothing is missing).
    static QString missingSecret(Layer layer, const SyncConfig &config);
};

} // namespace tf
