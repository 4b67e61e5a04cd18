#include "connectors/bigquery/serviceaccountkey.h"

#include "core/connector.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

namespace {

ConnectorError keyError(const QString &origin, const QString &what)
{
    return ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                          QStringLiteral("service-account key %1: %2").arg(origin, what));
}

} // namespace

ServiceAccountKey ServiceAccountKey::fromJson(const QByteArray &json, const QString &origin)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        throw keyError(origin, parseError.error != QJsonParseError::NoError
                                   ? QStringLiteral("not JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset)
                                   : QStringLiteral("not a JSON object"));
    }
    const QJsonObject object = doc.object();
    const QString type = object.value(QStringLiteral("type")).toString();
    // An `authorized_user` file (gcloud's user login, §4.3) holds a refresh token, not a key this flow can sign with.
    if (type != QLatin1String("service_account")) {
        throw keyError(origin, QStringLiteral("type is '%1', expected 'service_account' (create a key for a service "
                                              "account in the Cloud console)")
                                   .arg(type));
    }
    QStringList missing;
    const auto text = [&](const char *name) {
        const QString value = object.value(QLatin1String(name)).toString();
        if (value.isEmpty())
            missing.append(QLatin1String(name));
        return value;
    };
    ServiceAccountKey key;
    key.projectId = object.value(QStringLiteral("project_id")).toString();
    key.privateKeyId = object.value(QStringLiteral("private_key_id")).toString();
    key.privateKeyPem = text("private_key").toUtf8();
    key.clientEmail = text("client_email");
    key.tokenUri = QUrl(text("token_uri"));
    if (!missing.isEmpty())
        throw keyError(origin, QStringLiteral("missing %1").arg(missing.join(QStringLiteral(", "))));
    if (!key.tokenUri.isValid() || key.tokenUri.isRelative())
        throw keyError(origin, QStringLiteral("token_uri '%1' is not an absolute URL").arg(key.tokenUri.toString()));
    return key;
}

ServiceAccountKey ServiceAccountKey::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw keyError(path, QStringLiteral("cannot be read: %1").arg(file.errorString()));
    return fromJson(file.readAll(), path);
}

} // namespace tf
