#include "app/settingsworker.h"

#include "connectors/connectorfactory.h"
#include "connectors/secretstore.h"

namespace tf {

namespace {

const QList<SecretStore::Secret> &allSecrets()
{
    static const QList<SecretStore::Secret> secrets{SecretStore::Secret::BigQueryServiceAccountKey,
                                                    SecretStore::Secret::TwentyApiKey,
                                                    SecretStore::Secret::SupabasePassword};
    return secrets;
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

void SettingsWorker::testConnection(const SyncConfig &config, Layer layer)
{
    serially([this, config, layer] {
        QList<HealthCheck> checks;
        QString error;
        if (!config.isConfigured(layer)) {
            emit connectionTested(layer, checks, QStringLiteral("%1 is not enabled in these settings").arg(layerName(layer)));
            return;
        }
        try {
            checks = ConnectorFactory::create(layer, config)->healthChecks();
        } catch (const ConnectorError &connectorError) {
            error = QString::fromUtf8(connectorError.what());
        }
        emit connectionTested(layer, checks, error);
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
