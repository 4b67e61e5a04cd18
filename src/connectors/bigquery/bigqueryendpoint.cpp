#include "connectors/bigquery/bigqueryendpoint.h"

#include "core/connector.h"
#include "core/syncconfig.h"

namespace tf {

namespace {

QUrl withTrailingSlash(QString url)
{
    if (!url.endsWith(QLatin1Char('/')))
        url += QLatin1Char('/');
    return QUrl(url);
}

bool isGoogleHost(const QUrl &url)
{
    return url.host().endsWith(QLatin1String(".googleapis.com"));
}

} // namespace

BigQueryEndpoint BigQueryEndpoint::resolve(const BigQuerySettings &settings, const QByteArray &keychainKeyJson)
{
    BigQueryEndpoint endpoint;
    const QString emulatorHost = qEnvironmentVariable("BIGQUERY_EMULATOR_HOST").trimmed();
    if (!settings.endpoint.trimmed().isEmpty()) {
        QString base = settings.endpoint.trimmed();
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        endpoint.baseUrl = withTrailingSlash(base + QStringLiteral("/bigquery/v2"));
    } else if (!emulatorHost.isEmpty()) {
        // A bare host:port is an emulator's plain-HTTP address (PUBSUB_EMULATOR_HOST style).
        endpoint.baseUrl = withTrailingSlash(emulatorHost.contains(QLatin1String("://"))
                                                 ? emulatorHost
                                                 : QStringLiteral("http://") + emulatorHost);
    } else {
        endpoint.baseUrl = QUrl(QStringLiteral("https://bigquery.googleapis.com/bigquery/v2/"));
    }
    if (!endpoint.baseUrl.isValid() || endpoint.baseUrl.host().isEmpty()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("endpoint '%1' is not a URL").arg(endpoint.baseUrl.toString()));
    }
    endpoint.emulator = !isGoogleHost(endpoint.baseUrl);

    const QString keyFile = qEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
    if (!settings.credentialsPath.isEmpty()) {
        endpoint.key = ServiceAccountKey::fromFile(settings.credentialsPath);
    } else if (!endpoint.emulator) {
        if (!keyFile.isEmpty())
            endpoint.key = ServiceAccountKey::fromFile(keyFile);
        else if (!keychainKeyJson.isEmpty())
            endpoint.key = ServiceAccountKey::fromJson(keychainKeyJson, QStringLiteral("from the keychain"));
        else
            throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                                 QStringLiteral("no service-account key: set GOOGLE_APPLICATION_CREDENTIALS to the key "
                                                "file, or store the key in the keychain"));
    }

    endpoint.project = settings.project;
    if (endpoint.project.isEmpty() && endpoint.key)
        endpoint.project = endpoint.key->projectId;
    if (endpoint.project.isEmpty())
        endpoint.project = qEnvironmentVariable("GOOGLE_CLOUD_PROJECT");
    if (endpoint.project.isEmpty()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("no project: set [bigquery] project in the config"));
    }
    return endpoint;
}

QString BigQueryEndpoint::describe() const
{
    return QStringLiteral("%1 at %2 (%3)")
        .arg(emulator ? QStringLiteral("emulator") : QStringLiteral("BigQuery"), baseUrl.toString(),
             key ? QStringLiteral("as %1").arg(key->clientEmail) : QStringLiteral("anonymous"));
}

} // namespace tf
