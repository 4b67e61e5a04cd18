#include "connectors/bigquery/jwtsigner.h"

#include "core/connector.h"

#include <QJsonDocument>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace tf {

namespace {

QString openSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("no detail from OpenSSL");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

} // namespace

void JwtSigner::KeyFree::operator()(EVP_PKEY *key) const
{
    EVP_PKEY_free(key);
}

JwtSigner::JwtSigner(const QByteArray &privateKeyPem, const QString &keyId)
    : m_keyId(keyId)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(privateKeyPem.constData(), int(privateKeyPem.size())),
                                                  &BIO_free);
    m_key.reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!m_key) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("the service-account key's private_key is not a PEM private key: %1")
                                 .arg(openSslError()));
    }
    if (EVP_PKEY_base_id(m_key.get()) != EVP_PKEY_RSA) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("the service-account key's private_key is not an RSA key (RS256 needs one)"));
    }
}

JwtSigner::~JwtSigner() = default;

QByteArray JwtSigner::base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray JwtSigner::sign(const QJsonObject &claims) const
{
    QJsonObject header{{QStringLiteral("alg"), QStringLiteral("RS256")}, {QStringLiteral("typ"), QStringLiteral("JWT")}};
    if (!m_keyId.isEmpty())
        header.insert(QStringLiteral("kid"), m_keyId);
    const QByteArray signingInput = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));

    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    QByteArray signature;
    bool ok = context && EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) == 1
        && EVP_DigestSign(context.get(), nullptr, &length,
                          reinterpret_cast<const unsigned char *>(signingInput.constData()), size_t(signingInput.size()))
            == 1;
    if (ok) {
        signature.resize(qsizetype(length));
        ok = EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                            reinterpret_cast<const unsigned char *>(signingInput.constData()), size_t(signingInput.size()))
            == 1;
        signature.resize(qsizetype(length));
    }
    if (!ok) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                             QStringLiteral("signing the token request (RS256) failed: %1").arg(openSslError()));
    }
    return signingInput + '.' + base64Url(signature);
}

} // namespace tf
