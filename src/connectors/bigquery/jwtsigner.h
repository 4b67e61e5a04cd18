#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace tf {

// Signs JSON Web Tokens with RS256 (RSASSA-PKCS1-v1_5 over SHA-256) using OpenSSL, because Qt has no RSA
// (bigquery-rest.md §4.2 step 3).
class JwtSigner
{
public:
    // Throws ConnectorError (Configuration) when the PEM holds no RSA private key.
    JwtSigner(const QByteArray &privateKeyPem, const QString &keyId);
    ~JwtSigner();
    JwtSigner(const JwtSigner &) = delete;
    JwtSigner &operator=(const JwtSigner &) = delete;

    // base64url(header) "." base64url(claims) "." base64url(signature), header {"alg":"RS256","typ":"JWT","kid":…}.
    QByteArray sign(const QJsonObject &claims) const;

    static QByteArray base64Url(const QByteArray &bytes); // RFC 7515: URL alphabet, no '=' padding

private:
    struct KeyFree {
        void operator()(EVP_PKEY *key) const;
    };
    std::unique_ptr<EVP_PKEY, KeyFree> m_key;
    QString m_keyId;
};

} // namespace tf
