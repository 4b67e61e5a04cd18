#pragma once

#include "core/layer.h"

#include <QString>
#include <QUrl>

namespace tf {

// Contacts and credentials travel unencrypted only inside this machine. "This machine" is decided from the address
// itself, never from how a name starts: an IP literal is loopback when QHostAddress says so (127.0.0.0/8, ::1,
// ::ffff:127.x), a name only when it is "localhost" (RFC 6761 keeps it on loopback). "127.evil.example" is a name
// like any other, resolved by DNS to wherever its owner likes.
class PlaintextGuard {
public:
    static bool isLoopbackHost(const QString &host);

    // Throws ConnectorError (Configuration) when `url` is plain http to another machine and the user has not set
    // `allow_insecure=true` in the layer's section; `what` says what would travel in clear ("the API key and every
    // contact").
    static void requireEncryption(Layer layer, const QUrl &url, bool allowed, const QString &what);
    // Whether `url` is plain http to another machine (what requireEncryption refuses unless allowed).
    static bool isPlaintextToAnotherMachine(const QUrl &url);
};

} // namespace tf
