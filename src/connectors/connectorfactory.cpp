#include "connectors/connectorfactory.h"

#include "connectors/bigquery/bigqueryconnector.h"
#include "connectors/bigquery/bigqueryendpoint.h"
#include "connectors/secretstore.h"
#include "connectors/sqlite/sqliteconnector.h"
#include "connectors/supabase/pgconnectioninfo.h"
#include "connectors/supabase/supabaseconnector.h"
#include "connectors/twenty/twentyconnector.h"

namespace tf {

namespace {

// Whether the [supabase] dsn carries its own password, as libpq reads it. A dsn libpq cannot parse asks for nothing:
// building the connector reports it.
bool dsnHasPassword(const QString &dsn)
{
    try {
        return PgConnectionInfo(dsn, QString()).hasPassword();
    } catch (const ConnectorError &) {
        return true;
    }
}

} // namespace

std::unique_ptr<Connector> ConnectorFactory::create(Layer layer, const SyncConfig &config, const QString &givenSecret)
{
    std::unique_ptr<Connector> connector = build(layer, config, givenSecret);
    connector->setMaxServerWaitMs(qint64(config.sync.maxRetryAfterSeconds) * 1000);
    return connector;
}

std::unique_ptr<Connector> ConnectorFactory::build(Layer layer, const SyncConfig &config, const QString &givenSecret)
{
    switch (layer) {
    case Layer::BigQuery: {
        if (!givenSecret.isEmpty()) {
            BigQuerySettings settings = *config.bigquery;
            settings.credentialsPath.clear(); // the key on screen, not the file the config names
            return std::make_unique<BigQueryConnector>(settings, givenSecret.toUtf8());
        }
        const QByteArray keychainKey = BigQueryEndpoint::needsKeychainKey(*config.bigquery)
            ? SecretStore::read(SecretStore::Secret::BigQueryServiceAccountKey).toUtf8()
            : QByteArray();
        return std::make_unique<BigQueryConnector>(*config.bigquery, keychainKey);
    }
    case Layer::Crm: {
        const QString key = givenSecret.isEmpty() ? SecretStore::read(SecretStore::Secret::TwentyApiKey) : givenSecret;
        if (key.isEmpty()) {
            throw ConnectorError(
                Layer::Crm, ConnectorError::Kind::Authentication,
                QStringLiteral("no API key: %1").arg(SecretStore::describe(SecretStore::Secret::TwentyApiKey)));
        }
        return std::make_unique<TwentyConnector>(*config.crm, key);
    }
    case Layer::Supabase: {
        const QString password = !givenSecret.isEmpty() ? givenSecret
            : dsnHasPassword(config.supabase->dsn)      ? QString()
                                                        : SecretStore::read(SecretStore::Secret::SupabasePassword);
        return std::make_unique<SupabaseConnector>(*config.supabase, password);
    }
    case Layer::Local:
        return std::make_unique<SqliteConnector>(*config.local);
    }
    throw ConnectorError(layer, ConnectorError::Kind::Configuration, QStringLiteral("unknown layer"));
}

QString ConnectorFactory::missingSecret(Layer layer, const SyncConfig &config)
{
    switch (layer) {
    case Layer::BigQuery:
        return BigQueryEndpoint::needsKeychainKey(*config.bigquery)
                && SecretStore::read(SecretStore::Secret::BigQueryServiceAccountKey).isEmpty()
            ? SecretStore::describe(SecretStore::Secret::BigQueryServiceAccountKey)
            : QString();
    case Layer::Crm:
        return SecretStore::read(SecretStore::Secret::TwentyApiKey).isEmpty()
            ? SecretStore::describe(SecretStore::Secret::TwentyApiKey)
            : QString();
    case Layer::Supabase:
        // libpq's conventions: a server may trust this user, take peer or certificate authentication, or find the
        // password in ~/.pgpass or PGPASSWORD. Only the connection can tell; the health check tries it and reports
        // what the server said.
        return {};
    case Layer::Local:
        return {};
    }
    return {};
}

QString ConnectorFactory::credentialSource(Layer layer, const SyncConfig &config)
{
    const auto fromStore = [](SecretStore::Secret secret, const QString &what) {
        const QString variable = SecretStore::environmentVariable(secret);
        return qEnvironmentVariableIsEmpty(variable.toLatin1().constData())
            ? QStringLiteral("%1 from the keychain").arg(what)
            : QStringLiteral("%1 from %2").arg(what, variable);
    };
    switch (layer) {
    case Layer::BigQuery:
        if (!config.bigquery->credentialsPath.isEmpty())
            return QStringLiteral("service-account key %1").arg(config.bigquery->credentialsPath);
        if (!BigQueryEndpoint::needsKeychainKey(*config.bigquery))
            return QStringLiteral("GOOGLE_APPLICATION_CREDENTIALS, or none for an emulator");
        return fromStore(SecretStore::Secret::BigQueryServiceAccountKey, QStringLiteral("service-account key"));
    case Layer::Crm:
        return fromStore(SecretStore::Secret::TwentyApiKey, QStringLiteral("API key"));
    case Layer::Supabase:
        if (dsnHasPassword(config.supabase->dsn))
            return QStringLiteral("password in the dsn");
        if (!SecretStore::read(SecretStore::Secret::SupabasePassword).isEmpty())
            return fromStore(SecretStore::Secret::SupabasePassword, QStringLiteral("password"));
        return QStringLiteral("none given: libpq's own (~/.pgpass, PGPASSWORD, trust, peer or a client certificate); "
                              "the connection check tells whether the server accepts it");
    case Layer::Local:
        return QStringLiteral("a file on this machine: none needed");
    }
    return {};
}

} // namespace tf
