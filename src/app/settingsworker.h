#pragma once

#include "core/connector.h"
#include "core/syncconfig.h"

#include <QObject>
#include <functional>

namespace tf {

// The settings dialog's slow work, in a thread of its own: the OS keychain (SecretStore) and "Test connection"
// (a throwaway connector's health checks). Apart from the SyncWorker, so a cycle retrying an unreachable layer
// never keeps the person waiting for either.
class SettingsWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public slots:
    // `typedSecret`: what the person typed in the dialog (empty: the sync's own source, environment then keychain).
    void testConnection(const tf::SyncConfig &config, tf::Layer layer, const QString &typedSecret);
    void storeSecrets(const QMap<QString, QString> &secretsByKeychainKey);
    void readSecretStatus();

signals:
    // `credentials` says which secret was tested, and whether the sync would use another.
    void connectionTested(tf::Layer layer, const QList<tf::HealthCheck> &checks, const QString &error,
                          const QString &credentials);
    void secretsStored(const QStringList &errors);
    void secretStatusReady(const QMap<QString, QString> &statusByKeychainKey);

private:
    // The keychain and HTTP wait in nested event loops: a request delivered inside one waits for it to finish.
    void serially(std::function<void()> work);

    QList<std::function<void()>> m_pending;
    bool m_working = false;
};

} // namespace tf
