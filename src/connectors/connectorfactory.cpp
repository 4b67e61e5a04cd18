#include "connectors/connectorfactory.h"

#include "connectors/secretstore.h"

namespace tf {

std::unique_ptr<Connector> ConnectorFactory::create(Layer layer, const SyncConfig &)
{
    throw ConnectorError(layer, ConnectorError::Kind::Configuration, QStringLiteral("connector not built yet"));
}

QString ConnectorFactory::missingSecret(Layer, const SyncConfig &)
{
    return {};
}

} // namespace tf
