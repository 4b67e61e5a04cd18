#include "twenty/apikeyring.h"

#include "common/httpmessage.h"
#include "twenty/apierror.h"

#include <QUuid>

namespace tf::emu {

ApiKeyRing::ApiKeyRing(const QList<ApiKeySpec> &keys)
{
    // A fixed namespace makes a key's id the same on every start, as a stored key's id is.
    static const QUuid keyNamespace(QStringLiteral("{6f1b1c58-2d0e-4c8a-9a4f-3b2e1d0c9b8a}"));
    for (const ApiKeySpec &spec : keys) {
        m_keys.append(ApiKey{QUuid::createUuidV5(keyNamespace, spec.token).toString(QUuid::WithoutBraces), spec.name,
                             spec.token});
    }
}

const ApiKey &ApiKeyRing::authenticate(const HttpRequest &request) const
{
    const QByteArray header = request.header("authorization").trimmed();
    if (header.isEmpty())
        throw ApiError(403, QStringLiteral("FORBIDDEN_EXCEPTION"), QStringLiteral("Missing authentication token"));
    const QByteArray token = header.startsWith("Bearer ") ? header.mid(7).trimmed() : QByteArray();
    for (const ApiKey &key : m_keys) {
        if (!token.isEmpty() && key.token == token)
            return key;
    }
    throw ApiError(401, QStringLiteral("UNAUTHENTICATED"), QStringLiteral("Token invalid."));
}

} // namespace tf::emu
