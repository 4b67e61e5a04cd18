#include "testkeys.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace tf::test {

namespace {

QByteArray readBio(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(length));
}

} // namespace

TestRsaKey TestRsaKey::generate(int bits)
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(unsigned(bits)), &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> privateBio(BIO_new(BIO_s_mem()), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> publicBio(BIO_new(BIO_s_mem()), &BIO_free);
    TestRsaKey result;
    if (key && PEM_write_bio_PrivateKey(privateBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1
        && PEM_write_bio_PUBKEY(publicBio.get(), key.get()) == 1) {
        result.privatePem = readBio(privateBio.get());
        result.publicPem = readBio(publicBio.get());
    }
    return result;
}

QByteArray TestRsaKey::serviceAccountJson(const QString &clientEmail, const QString &tokenUri, const QString &projectId) const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("service_account")},
                                     {QStringLiteral("project_id"), projectId},
                                     {QStringLiteral("private_key_id"), QStringLiteral("test-key-1")},
                                     {QStringLiteral("private_key"), QString::fromLatin1(privatePem)},
                                     {QStringLiteral("client_email"), clientEmail},
                                     {QStringLiteral("client_id"), QStringLiteral("1234567890")},
                                     {QStringLiteral("token_uri"), tokenUri}})
        .toJson();
}

bool TestRsaKey::verify(const QByteArray &data, const QByteArray &signature) const
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(publicPem.constData(), int(publicPem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                                                            &EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    return key && context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1
        && EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
                            size_t(signature.size()), reinterpret_cast<const unsigned char *>(data.constData()),
                            size_t(data.size()))
        == 1;
}

} // namespace tf::test
