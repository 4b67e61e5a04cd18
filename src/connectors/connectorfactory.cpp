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

std::unique_ptr<Connector> ConnectorFactory::create(Layer layer, const SyncConfig &config)
{
    switch (layer) {
    case Layer::BigQuery: {
        const QByteArray keychainKey = BigQueryEndpoint::needsKeychainKey(*config.bigquery)
            ? SecretStore::read(SecretStore::Secret::BigQueryServiceAccountKey).toUtf8()
            : QByteArray();
        return std::make_unique<BigQueryConnector>(*config.bigquery, keychainKey);
    }
    case Layer::Crm: {
        const QString key = SecretStore::read(SecretStore::Secret::TwentyApiKey);
        if (key.isEmpty()) {
            throw ConnectorError(
                Layer::Crm, ConnectorError::Kind::Authentication,
                QStringLiteral("no API key: %1").arg(SecretStore::describe(SecretStore::Secret::TwentyApiKey)));
        }
        return std::make_unique<TwentyConnector>(*config.crm, key);
    }
    case Layer::Supabase: {
        const QString password = dsnHasPassword(config.supabase->dsn)
            ? QString()
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
        return !dsnHasPassword(config.supabase->dsn)
                && SecretStore::read(SecretStore::Secret::SupabasePassword).isEmpty()
            ? SecretStore::describe(SecretStore::Secret::SupabasePassword)
            : QString();
    case Layer::Local:
        return {};
    }
    return {};
}

} // namespace tf
