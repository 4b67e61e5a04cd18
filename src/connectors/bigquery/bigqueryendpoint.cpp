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

QUrl baseUrlOf(const BigQuerySettings &settings)
{
    const QString emulatorHost = qEnvironmentVariable("BIGQUERY_EMULATOR_HOST").trimmed();
    if (!settings.endpoint.trimmed().isEmpty()) {
        QString base = settings.endpoint.trimmed();
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        return withTrailingSlash(base + QStringLiteral("/bigquery/v2"));
    }
    if (!emulatorHost.isEmpty()) {
        // A bare host:port is an emulator's plain-HTTP address (PUBSUB_EMULATOR_HOST style).
        return withTrailingSlash(emulatorHost.contains(QLatin1String("://")) ? emulatorHost
                                                                             : QStringLiteral("http://") + emulatorHost);
    }
    return QUrl(QStringLiteral("https://bigquery.googleapis.com/bigquery/v2/"));
}

} // namespace

BigQueryEndpoint BigQueryEndpoint::resolve(const BigQuerySettings &settings, const QByteArray &keychainKeyJson)
{
    BigQueryEndpoint endpoint;
    endpoint.baseUrl = baseUrlOf(settings);
    if (!endpoint.baseUrl.isValid() || endpoint.baseUrl.host().isEmpty()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("endpoint '%1' is not a URL").arg(endpoint.baseUrl.toString()));
    }
    endpoint.emulator = !isGoogleHost(endpoint.baseUrl);

    const QString keyFile = qEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
    if (!settings.credentialsPath.isEmpty()) {
        endpoint.key = ServiceAccountKey::fromFile(settings.credentialsPath);
    } else if (!endpoint.emulator) {
        // A key handed in is the keychain's (read only when GOOGLE_APPLICATION_CREDENTIALS is unset) or the one a
        // person typed in the settings dialog, which is what "Test connection" must test.
        if (!keychainKeyJson.isEmpty())
            endpoint.key = ServiceAccountKey::fromJson(keychainKeyJson, QStringLiteral("from the keychain"));
        else if (!keyFile.isEmpty())
            endpoint.key = ServiceAccountKey::fromFile(keyFile);
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

bool BigQueryEndpoint::needsKeychainKey(const BigQuerySettings &settings)
{
    return settings.credentialsPath.isEmpty() && qEnvironmentVariableIsEmpty("GOOGLE_APPLICATION_CREDENTIALS")
        && isGoogleHost(baseUrlOf(settings));
}

QString BigQueryEndpoint::describe() const
{
    return QStringLiteral("%1 at %2 (%3)")
        .arg(emulator ? QStringLiteral("emulator") : QStringLiteral("BigQuery"), baseUrl.toString(),
             key ? QStringLiteral("as %1").arg(key->clientEmail) : QStringLiteral("anonymous"));
}

} // namespace tf
