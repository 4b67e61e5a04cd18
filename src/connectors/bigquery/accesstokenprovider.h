#pragma once

#include "connectors/bigquery/jwtsigner.h"
#include "connectors/bigquery/serviceaccountkey.h"
#include "connectors/http/httptransport.h"

#include <QDateTime>
#include <functional>

namespace tf {

// OAuth 2.0 access tokens for a service account by the JWT bearer flow (bigquery-rest.md §4.2): an RS256-signed
// assertion {iss, scope, aud = token_uri, iat, exp = iat + 3600} posted as a form to the key's token_uri. The
// token is cached and replaced 5 minutes before it expires, so a call never goes out with a token that dies on
// the way. The clock is injected so expiry is testable without waiting an hour.
class AccessTokenProvider
{
public:
    using Clock = std::function<QDateTime()>;

    // Throws ConnectorError (Configuration) when the key's private_key cannot sign.
    AccessTokenProvider(const ServiceAccountKey &key, HttpTransport &transport, Clock clock = {});

    // "Bearer <token>", exchanging a new assertion when none is cached or the cached one is about to expire.
    // Throws ConnectorError: Authentication when the token endpoint refuses the assertion, Unreachable/Transient
    // when it does not answer.
    QByteArray authorization();
    void invalidate(); // after the API refused the token (401): the next call exchanges a new one

    QByteArray assertion() const; // the signed JWT a token request carries now
    int exchanges() const { return m_exchanges; }

    static inline const QString kScope = QStringLiteral("https://www.googleapis.com/auth/bigquery");
    static constexpr qint64 kRefreshMarginSecs = 300;

private:
    void exchange();

    ServiceAccountKey m_key;
    JwtSigner m_signer;
    HttpTransport &m_transport;
    Clock m_clock;
    QByteArray m_token;
    QDateTime m_refreshAt;
    int m_exchanges = 0;
};

} // namespace tf
