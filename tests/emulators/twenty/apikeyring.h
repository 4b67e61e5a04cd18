#pragma once

#include "twenty/emulatorsettings.h"

#include <QList>

namespace tf::emu {

struct HttpRequest;

struct ApiKey {
    QString id; // the key's stable UUID (the spenderId of a 429, §5)
    QString name;
    QByteArray token;
};

// The workspace's API keys and the bearer check every /rest request passes first (§5, §9 #22).
class ApiKeyRing
{
public:
    explicit ApiKeyRing(const QList<ApiKeySpec> &keys);

    // The key the request carries; throws 403 without an Authorization header and 401 for an unknown key.
    const ApiKey &authenticate(const HttpRequest &request) const;
    const QList<ApiKey> &keys() const { return m_keys; }

private:
    QList<ApiKey> m_keys;
};

} // namespace tf::emu
