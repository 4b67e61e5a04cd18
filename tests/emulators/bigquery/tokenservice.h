#pragma once

#include "common/httpmessage.h"

#include <QHash>
#include <QString>
#include <memory>

namespace tf::emu {

// The OAuth2 token endpoint of the service-account flow (bigquery-rest.md §4.2) and the check of the tokens it
// issues. POST /token takes grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and an RS256 JWT, verifies the
// signature against the configured public key (OpenSSL) and the claims (aud, iat, exp at most an hour after iat,
// scope), and answers {"access_token", "expires_in": 3599, "token_type": "Bearer"} or 400 {"error":
// "invalid_grant", "error_description"} with Google's texts. API calls then need "Authorization: Bearer <token>"
// (401 with Google's envelope otherwise). Without a key the endpoint refuses and no call needs a token (§4.3).
class TokenService
{
public:
    TokenService();
    ~TokenService();

    bool loadPublicKey(const QString &pemFile, QString *error);
    bool enabled() const { return m_key != nullptr; }

    HttpResponse exchange(const HttpRequest &request);
    // nullopt when the call may proceed, else the 401 to answer.
    std::optional<HttpResponse> check(const HttpRequest &request);
    void clear() { m_tokens.clear(); }

private:
    bool verifySignature(const QByteArray &signedPart, const QByteArray &signature) const;

    struct KeyDeleter {
        void operator()(void *key) const;
    };
    std::unique_ptr<void, KeyDeleter> m_key; // EVP_PKEY
    QHash<QString, qint64> m_tokens;         // issued access token → expiry (ms since the epoch)
};

} // namespace tf::emu
