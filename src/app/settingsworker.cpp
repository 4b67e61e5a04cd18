#include "app/settingsworker.h"

#include "connectors/connectorfactory.h"
#include "connectors/secretstore.h"

#include <optional>

namespace tf {

namespace {

const QList<SecretStore::Secret> &allSecrets()
{
    static const QList<SecretStore::Secret> secrets{SecretStore::Secret::BigQueryServiceAccountKey,
                                                    SecretStore::Secret::TwentyApiKey,
                                                    SecretStore::Secret::SupabasePassword};
    return secrets;
}

std::optional<SecretStore::Secret> secretOf(Layer layer)
{
    for (SecretStore::Secret secret : allSecrets()) {
        if (SecretStore::layerOf(secret) == layer)
            return secret;
    }
    return std::nullopt;
}

// Which secret a test used, in words, and the catch a person would not guess: while the environment variable is
// set, the sync itself uses it, not what is typed here or stored in the keychain.
QString credentialsNote(Layer layer, const QString &typedSecret)
{
    const std::optional<SecretStore::Secret> secret = secretOf(layer);
    if (!secret)
        return {};
    const QString variable = SecretStore::environmentVariable(*secret);
    const bool inEnvironment = !qEnvironmentVariableIsEmpty(variable.toLatin1().constData());
    if (typedSecret.isEmpty()) {
        return inEnvironment ? QStringLiteral("tested with %1 from the environment").arg(variable)
                             : QStringLiteral("tested with the keychain entry");
    }
    return inEnvironment ? QStringLiteral("tested with what is typed here; note that the sync uses %1 from the "
                                          "environment instead, as long as it is set")
                               .arg(variable)
                         : QStringLiteral("tested with what is typed here (stored when you save)");
}

} // namespace

void SettingsWorker::serially(std::function<void()> work)
{
    m_pending.append(std::move(work));
    if (m_working)
        return;
    m_working = true;
    while (!m_pending.isEmpty())
        m_pending.takeFirst()();
    m_working = false;
}

void SettingsWorker::testConnection(const SyncConfig &config, Layer layer, const QString &typedSecret)
{
    serially([this, config, layer, typedSecret] {
        QList<HealthCheck> checks;
        QString error;
        if (!config.isConfigured(layer)) {
            emit connectionTested(layer, checks,
                                  QStringLiteral("%1 is not enabled in these settings").arg(layerName(layer)), {});
            return;
        }
        try {
            checks = ConnectorFactory::create(layer, config, typedSecret)->healthChecks();
        } catch (const ConnectorError &connectorError) {
            error = QString::fromUtf8(connectorError.what());
        }
        emit connectionTested(layer, checks, error, credentialsNote(layer, typedSecret));
    });
}

void SettingsWorker::storeSecrets(const QMap<QString, QString> &secretsByKeychainKey)
{
    serially([this, secretsByKeychainKey] {
        QStringList errors;
        for (SecretStore::Secret secret : allSecrets()) {
            const QString key = SecretStore::keychainKey(secret);
            if (!secretsByKeychainKey.contains(key))
                continue;
            QString error;
            if (!SecretStore::write(secret, secretsByKeychainKey.value(key), &error))
                errors << QStringLiteral("%1: not stored in the keychain: %2").arg(key, error);
        }
        emit secretsStored(errors);
    });
}

void SettingsWorker::readSecretStatus()
{
    serially([this] {
        QMap<QString, QString> status;
        for (SecretStore::Secret secret : allSecrets()) {
            const QString variable = SecretStore::environmentVariable(secret);
            QString text;
            if (!qEnvironmentVariableIsEmpty(variable.toLatin1().constData())) {
                text = QStringLiteral("set in the environment (%1)").arg(variable);
            } else {
                QString error;
                const bool stored = !SecretStore::read(secret, &error).isEmpty();
                text = stored ? QStringLiteral("stored in the keychain") : QStringLiteral("not set (%1)").arg(error.isEmpty() ? QStringLiteral("no entry") : error);
            }
            status.insert(SecretStore::keychainKey(secret), text);
        }
        emit secretStatusReady(status);
    });
}

} // namespace tf
