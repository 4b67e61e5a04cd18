#include "connectors/http/plaintextguard.h"

#include "core/connector.h"
#include "core/logging.h"

#include <QHostAddress>

namespace tf {

bool PlaintextGuard::isLoopbackHost(const QString &host)
{
    QString bare = host.trimmed();
    if (bare.startsWith(QLatin1Char('[')) && bare.endsWith(QLatin1Char(']')))
        bare = bare.mid(1, bare.size() - 2);
    if (bare.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(bare);
    if (address.isNull())
        return false; // a name: DNS decides where it goes
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    if (mapped)
        return QHostAddress(v4).isLoopback();
    return address.isLoopback();
}

bool PlaintextGuard::isPlaintextToAnotherMachine(const QUrl &url)
{
    // A URL that is not http(s) at all, or has no host, is the connector's own validation's to name.
    return url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0 && !url.host().isEmpty()
        && !isLoopbackHost(url.host());
}

void PlaintextGuard::requireEncryption(Layer layer, const QUrl &url, bool allowed, const QString &what)
{
    if (!isPlaintextToAnotherMachine(url))
        return;
    const QString section = layerName(layer); // each layer's config section bears its name
    if (allowed) {
        qCWarning(lcEngine).noquote() << layerName(layer) << ": sending" << what << "unencrypted to" << url.host()
                                      << "because [" + section + "] allow_insecure=true";
        return;
    }
    throw ConnectorError(layer, ConnectorError::Kind::Configuration,
                         QStringLiteral("%1 is not https: it would send %2 unencrypted to %3, another machine; use "
                                        "https://, or set allow_insecure=true in [%4] to accept that")
                             .arg(url.toString(QUrl::RemoveUserInfo), what, url.host(), section));
}

} // namespace tf
