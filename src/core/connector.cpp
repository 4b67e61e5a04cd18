#include "core/connector.h"

namespace tf {

ConnectorError::ConnectorError(Layer layer, Kind kind, const QString &message)
    : std::runtime_error((layerName(layer) + QStringLiteral(": ") + message).toStdString())
    , m_layer(layer)
    , m_kind(kind)
    , m_message(message)
{
}

Connector::~Connector() = default;

} // namespace tf
