#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace tf {

// The fields of a service-account JSON key file that the JWT bearer flow needs (bigquery-rest.md §4.1).
struct ServiceAccountKey {
    QString projectId;
    QString privateKeyId;
    QByteArray privateKeyPem; // PKCS#8 RSA, "-----BEGIN PRIVATE KEY-----"
    QString clientEmail;
    QUrl tokenUri;            // where the token exchange goes and the JWT's `aud` (§4.2 design note)

    // Throws ConnectorError (Configuration) naming `origin` and what is missing or malformed.
    static ServiceAccountKey fromJson(const QByteArray &json, const QString &origin);
    static ServiceAccountKey fromFile(const QString &path);
};

} // namespace tf
