#include "connectors/connectorfactory.h"

#include "connectors/bigquery/bigqueryconnector.h"
#include "connectors/secretstore.h"
#include "connectors/sqlite/sqliteconnector.h"
#include "connectors/supabase/supabaseconnector.h"
#include "connectors/twenty/twentyconnector.h"

#include <QRegularExpression>

namespace tf {

namespace {

bool bigqueryNeedsKey(const BigQuerySettings &settings)
{
    // An emulator takes no token (bigquery-rest.md §4.3) unless a key is given
    // explicitly.
    const bool emulator = !settings.endpoint.isEmpty() || !qEnvironmentVariableIsEmpty("BIGQUERY_EMULATOR_HOST");
    return !emulator && settings.credentialsPath.isEmpty()
        && qEnvironmentVariableIsEmpty("GOOGLE_APPLICATION_CREDENTIALS");
}

bool dsnHasPassword(const QString &dsn)
{
    return dsn.contains(QLatin1String("password="))
        || dsn.contains(QRegularExpression(QStringLiteral("://[^/@]*:[^/@]*@")));
}

} // namespace

std::unique_ptr<Connector> ConnectorFactory::create(Layer layer, const SyncConfig &config)
{
    switch (layer) {
    case Layer::BigQuery: {
        const QByteArray keychainKey = bigqueryNeedsKey(*config.bigquery)
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
        return bigqueryNeedsKey(*config.bigquery)
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
