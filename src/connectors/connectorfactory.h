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
    // `givenSecret`, when not empty, is used instead of the environment and the keychain: what a person typed in
    // the settings dialog is what "Test connection" tests.
    static std::unique_ptr<Connector> create(Layer layer, const SyncConfig &config, const QString &givenSecret = {});
    // What a configured layer lacks to authenticate (empty when nothing is missing).
    static QString missingSecret(Layer layer, const SyncConfig &config);
    // Where the credentials a layer will use come from, in words, for the safety check.
    static QString credentialSource(Layer layer, const SyncConfig &config);

private:
    static std::unique_ptr<Connector> build(Layer layer, const SyncConfig &config, const QString &givenSecret);
};

} // namespace tf
