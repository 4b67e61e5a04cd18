#pragma once

#include <QByteArray>
#include <QString>

namespace tf::test {

// A fresh RSA key pair made with OpenSSL for one test run (never a key checked into the repository).
struct TestRsaKey {
    QByteArray privatePem; // PKCS#8, "-----BEGIN PRIVATE KEY-----", as in a service-account key file
    QByteArray publicPem;  // SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----"

    static TestRsaKey generate(int bits = 2048);
    // A service-account key file's JSON for this key, its token_uri pointing at `tokenUri`.
    QByteArray serviceAccountJson(const QString &clientEmail, const QString &tokenUri,
                                  const QString &projectId = QStringLiteral("test-project")) const;
    // Whether `signature` is a valid RS256 signature of `data` under the public half.
    bool verify(const QByteArray &data, const QByteArray &signature) const;
};

} // namespace tf::test
