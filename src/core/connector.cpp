#include "core/connector.h"

#include "core/contenthash.h"

namespace tf {

ConnectorError::ConnectorError(Layer layer, Kind kind, const QString &message)
    : std::runtime_error((layerName(layer) + QStringLiteral(": ") + message).toStdString())
    , m_layer(layer)
    , m_kind(kind)
    , m_message(message)
{
}

void ExpectedVersions::expect(const QString &contactId, const std::optional<Contact> &version)
{
    m_versions.insert(contactId, version);
}

bool ExpectedVersions::stillHolds(const QString &contactId, const std::optional<Contact> &current) const
{
    const auto found = m_versions.constFind(contactId);
    if (found == m_versions.cend())
        return true;
    if (!found->has_value() || !current)
        return found->has_value() == current.has_value();
    return ContentHash::of(**found) == ContentHash::of(*current);
}

bool ExpectedVersions::stillHolds(const QString &contactId, const QHash<QString, Contact> &current) const
{
    const auto row = current.constFind(contactId);
    return stillHolds(contactId, row == current.cend() ? std::nullopt : std::optional<Contact>(*row));
}

Connector::~Connector() = default;

} // namespace tf
