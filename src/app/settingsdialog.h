#pragma once

#include "core/connector.h"
#include "core/syncconfig.h"

#include <QDialog>
#include <memory>

class QLabel;
class QLineEdit;

namespace Ui {
class SettingsDialog;
}

namespace tf {

class SettingsWorker;

// Every key of SyncConfig as a typed field, validated before it is saved with SyncConfig::save. Secrets go to the
// OS keychain through the worker (SecretStore), never into the INI file. "Test connection" runs that layer's health
// checks in the worker with the values on screen.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(SettingsWorker *worker, QString configPath, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void load(); // the file's values, or the defaults of a new config
    QString configPath() const { return m_configPath; }
    SyncConfig config() const;     // what the form holds
    QStringList validate() const;  // one message per problem, naming the field
    void save();

signals:
    void saved(const QString &configPath);
    void testRequested(const tf::SyncConfig &config, tf::Layer layer, const QString &typedSecret);
    void secretsSubmitted(const QMap<QString, QString> &secretsByKeychainKey);
    void secretStatusRequested();

private:
    struct SecretField {
        QString keychainKey;
        QLineEdit *edit;
        QLabel *status;
    };

    void showTestResult(Layer layer, const QList<tf::HealthCheck> &checks, const QString &error,
                        const QString &credentials);
    void secretsStored(const QStringList &errors);
    QList<QWidget *> invalidWidgets() const;
    QLabel *testResultLabel(Layer layer) const;

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    QString m_configPath;
    QList<SecretField> m_secrets;
    QHash<QWidget *, QString> m_keys; // field → its section/key in the INI file
    bool m_waitingForSecrets = false;
};

} // namespace tf
