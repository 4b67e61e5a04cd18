#include "testrsakey.h"

#include <QJsonDocument>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace tf::test {

namespace {

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

TestRsaKey TestRsaKey::generate()
{
    TestRsaKey key;
    key.m_key = std::shared_ptr<void>(EVP_RSA_gen(2048), [](void *pkey) { EVP_PKEY_free(static_cast<EVP_PKEY *>(pkey)); });
    return key;
}

QByteArray TestRsaKey::publicPem() const
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, static_cast<EVP_PKEY *>(m_key.get()));
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    const QByteArray pem(data, int(size));
    BIO_free(bio);
    return pem;
}

QByteArray TestRsaKey::jwt(const QJsonObject &claims) const
{
    const QByteArray header = base64Url(R"({"alg":"RS256","typ":"JWT"})");
    const QByteArray body = base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signedPart = header + '.' + body;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t length = 0;
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY *>(m_key.get()));
    EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char *>(signedPart.constData()), size_t(signedPart.size()));
    QByteArray signature(qsizetype(length), '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char *>(signature.data()), &length,
                   reinterpret_cast<const unsigned char *>(signedPart.constData()), size_t(signedPart.size()));
    EVP_MD_CTX_free(context);
    signature.truncate(qsizetype(length));
    return signedPart + '.' + base64Url(signature);
}

} // namespace tf::test
