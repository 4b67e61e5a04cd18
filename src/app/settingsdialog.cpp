#include "app/settingsdialog.h"

#include "app/settingsworker.h"
#include "connectors/secretstore.h"
#include "ui_settingsdialog.h"

#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QStandardPaths>
#include <QUrl>

namespace tf {

namespace {

const QString kInvalidStyle = QStringLiteral("border: 1px solid #c01c1c;");

QString defaultLocalPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/truthforge/contacts.sqlite");
}

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) && !url.host().isEmpty();
}

} // namespace

SettingsDialog::SettingsDialog(SettingsWorker *worker, QString configPath, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SettingsDialog>())
    , m_configPath(std::move(configPath))
{
    m_ui->setupUi(this);
    for (ConflictPolicy policy : {ConflictPolicy::Merge, ConflictPolicy::LastWriterWins, ConflictPolicy::Manual})
        m_ui->syncConflictPolicy->addItem(conflictPolicyName(policy), int(policy));
    m_secrets = {{SecretStore::keychainKey(SecretStore::Secret::BigQueryServiceAccountKey), m_ui->bigqueryKey, m_ui->bigqueryKeyStatus},
                 {SecretStore::keychainKey(SecretStore::Secret::TwentyApiKey), m_ui->crmApiKey, m_ui->crmApiKeyStatus},
                 {SecretStore::keychainKey(SecretStore::Secret::SupabasePassword), m_ui->supabasePassword, m_ui->supabasePasswordStatus}};

    // The INI keys, as SyncConfig names them in its own errors.
    m_keys = {{m_ui->bigqueryProject, QStringLiteral("bigquery/project")},
              {m_ui->bigqueryDataset, QStringLiteral("bigquery/dataset")},
              {m_ui->bigqueryTable, QStringLiteral("bigquery/table")},
              {m_ui->bigqueryLocation, QStringLiteral("bigquery/location")},
              {m_ui->bigqueryEndpoint, QStringLiteral("bigquery/endpoint")},
              {m_ui->crmUrl, QStringLiteral("crm/url")},
              {m_ui->supabaseDsn, QStringLiteral("supabase/dsn")},
              {m_ui->supabaseSchema, QStringLiteral("supabase/schema")},
              {m_ui->supabaseTable, QStringLiteral("supabase/table")},
              {m_ui->localPath, QStringLiteral("local/path")},
              {m_ui->syncStatePath, QStringLiteral("sync/state_path")}};
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::save);
    // What is on screen is tested, the secret typed here included, saved or not.
    connect(m_ui->bigqueryTest, &QPushButton::clicked, this,
            [this] { emit testRequested(config(), Layer::BigQuery, m_ui->bigqueryKey->text().trimmed()); });
    connect(m_ui->crmTest, &QPushButton::clicked, this,
            [this] { emit testRequested(config(), Layer::Crm, m_ui->crmApiKey->text()); });
    connect(m_ui->supabaseTest, &QPushButton::clicked, this,
            [this] { emit testRequested(config(), Layer::Supabase, m_ui->supabasePassword->text()); });
    connect(m_ui->localTest, &QPushButton::clicked, this, [this] { emit testRequested(config(), Layer::Local, {}); });
    connect(this, &SettingsDialog::testRequested, this, [this](const SyncConfig &, Layer layer, const QString &) {
        testResultLabel(layer)->setText(tr("Testing…"));
    });

    connect(this, &SettingsDialog::testRequested, worker, &SettingsWorker::testConnection);
    connect(this, &SettingsDialog::secretsSubmitted, worker, &SettingsWorker::storeSecrets);
    connect(this, &SettingsDialog::secretStatusRequested, worker, &SettingsWorker::readSecretStatus);
    connect(worker, &SettingsWorker::connectionTested, this, &SettingsDialog::showTestResult);
    connect(worker, &SettingsWorker::secretsStored, this, &SettingsDialog::secretsStored);
    connect(worker, &SettingsWorker::secretStatusReady, this, [this](const QMap<QString, QString> &status) {
        for (const SecretField &secret : std::as_const(m_secrets))
            secret.status->setText(status.value(secret.keychainKey));
    });
}

SettingsDialog::~SettingsDialog() = default;

QLabel *SettingsDialog::testResultLabel(Layer layer) const
{
    switch (layer) {
    case Layer::BigQuery:
        return m_ui->bigqueryTestResult;
    case Layer::Crm:
        return m_ui->crmTestResult;
    case Layer::Supabase:
        return m_ui->supabaseTestResult;
    case Layer::Local:
        return m_ui->localTestResult;
    }
    return m_ui->localTestResult;
}

void SettingsDialog::load()
{
    const bool exists = QFileInfo::exists(m_configPath);
    const SyncConfig config = SyncConfig::load(m_configPath);
    m_ui->configPathLabel->setText(exists ? tr("Config file: %1").arg(m_configPath)
                                          : tr("No config yet: Save creates %1").arg(m_configPath));
    m_ui->errorLabel->setText(exists ? config.errors.join(QLatin1Char('\n')) : QString());

    const BigQuerySettings bigquery = config.bigquery.value_or(BigQuerySettings{});
    m_ui->bigqueryGroup->setChecked(config.bigquery.has_value());
    m_ui->bigqueryProject->setText(bigquery.project);
    m_ui->bigqueryDataset->setText(bigquery.dataset);
    m_ui->bigqueryTable->setText(bigquery.table);
    m_ui->bigqueryLocation->setText(bigquery.location);
    m_ui->bigqueryEndpoint->setText(bigquery.endpoint);
    m_ui->bigqueryCredentials->setText(bigquery.credentialsPath);
    m_ui->bigqueryAllowInsecure->setChecked(bigquery.allowInsecure);

    const CrmSettings crm = config.crm.value_or(CrmSettings{});
    m_ui->crmGroup->setChecked(config.crm.has_value());
    m_ui->crmUrl->setText(crm.url);
    m_ui->crmRequestsPerMinute->setValue(crm.requestsPerMinute);
    m_ui->crmAllowInsecure->setChecked(crm.allowInsecure);

    const SupabaseSettings supabase = config.supabase.value_or(SupabaseSettings{});
    m_ui->supabaseGroup->setChecked(config.supabase.has_value());
    m_ui->supabaseDsn->setText(supabase.dsn);
    m_ui->supabaseSchema->setText(supabase.schema);
    m_ui->supabaseTable->setText(supabase.table);
    m_ui->supabaseAllowInsecure->setChecked(supabase.allowInsecure);

    // A new config starts with the offline copy: the one layer that needs nothing but a path.
    m_ui->localGroup->setChecked(config.local.has_value() || !exists);
    m_ui->localPath->setText(config.local ? config.local->path : defaultLocalPath());

    m_ui->syncInterval->setValue(config.sync.intervalSeconds);
    m_ui->syncBatchSize->setValue(config.sync.batchSize);
    m_ui->syncConflictPolicy->setCurrentIndex(m_ui->syncConflictPolicy->findData(int(config.sync.conflictPolicy)));
    m_ui->syncStatePath->setText(config.sync.statePath);
    m_ui->syncMaxDeleteShare->setValue(config.sync.maxDeleteShare * 100.0);
    m_ui->syncMaxRetryAfter->setValue(config.sync.maxRetryAfterSeconds);

    for (const SecretField &secret : std::as_const(m_secrets)) {
        secret.edit->clear();
        secret.status->setText(tr("asking the keychain…"));
    }
    for (QWidget *widget : invalidWidgets())
        widget->setStyleSheet(QString());
    m_ui->buttonBox->setEnabled(true);
    emit secretStatusRequested();
}

SyncConfig SettingsDialog::config() const
{
    SyncConfig config;
    config.path = m_configPath;
    if (m_ui->bigqueryGroup->isChecked()) {
        BigQuerySettings bigquery;
        bigquery.project = m_ui->bigqueryProject->text().trimmed();
        bigquery.dataset = m_ui->bigqueryDataset->text().trimmed();
        bigquery.table = m_ui->bigqueryTable->text().trimmed();
        bigquery.location = m_ui->bigqueryLocation->text().trimmed();
        bigquery.endpoint = m_ui->bigqueryEndpoint->text().trimmed();
        bigquery.credentialsPath = m_ui->bigqueryCredentials->text().trimmed();
        bigquery.allowInsecure = m_ui->bigqueryAllowInsecure->isChecked();
        config.bigquery = bigquery;
    }
    if (m_ui->crmGroup->isChecked()) {
        CrmSettings crm;
        crm.url = m_ui->crmUrl->text().trimmed();
        crm.requestsPerMinute = m_ui->crmRequestsPerMinute->value();
        crm.allowInsecure = m_ui->crmAllowInsecure->isChecked();
        config.crm = crm;
    }
    if (m_ui->supabaseGroup->isChecked())
        config.supabase
            = SupabaseSettings{m_ui->supabaseDsn->text().trimmed(), m_ui->supabaseSchema->text().trimmed(),
                               m_ui->supabaseTable->text().trimmed(), m_ui->supabaseAllowInsecure->isChecked()};
    if (m_ui->localGroup->isChecked())
        config.local = LocalSettings{m_ui->localPath->text().trimmed()};
    config.sync.intervalSeconds = m_ui->syncInterval->value();
    config.sync.batchSize = m_ui->syncBatchSize->value();
    config.sync.conflictPolicy = ConflictPolicy(m_ui->syncConflictPolicy->currentData().toInt());
    config.sync.statePath = m_ui->syncStatePath->text().trimmed();
    config.sync.maxDeleteShare = m_ui->syncMaxDeleteShare->value() / 100.0;
    config.sync.maxRetryAfterSeconds = m_ui->syncMaxRetryAfter->value();
    return config;
}

QList<QWidget *> SettingsDialog::invalidWidgets() const
{
    const auto empty = [](const QLineEdit *edit) { return edit->text().trimmed().isEmpty(); };
    const auto relative = [](const QLineEdit *edit) { return !QDir::isAbsolutePath(edit->text().trimmed()); };
    QList<QWidget *> widgets;
    if (m_ui->bigqueryGroup->isChecked()) {
        for (QLineEdit *edit : {m_ui->bigqueryProject, m_ui->bigqueryDataset, m_ui->bigqueryTable, m_ui->bigqueryLocation}) {
            if (empty(edit))
                widgets << edit;
        }
        if (!empty(m_ui->bigqueryEndpoint) && !isHttpUrl(m_ui->bigqueryEndpoint->text().trimmed()))
            widgets << m_ui->bigqueryEndpoint;
    }
    if (m_ui->crmGroup->isChecked() && !isHttpUrl(m_ui->crmUrl->text().trimmed()))
        widgets << m_ui->crmUrl;
    if (m_ui->supabaseGroup->isChecked()) {
        for (QLineEdit *edit : {m_ui->supabaseDsn, m_ui->supabaseSchema, m_ui->supabaseTable}) {
            if (empty(edit))
                widgets << edit;
        }
    }
    if (m_ui->localGroup->isChecked() && relative(m_ui->localPath))
        widgets << m_ui->localPath;
    if (relative(m_ui->syncStatePath))
        widgets << m_ui->syncStatePath;
    return widgets;
}

QStringList SettingsDialog::validate() const
{
    QStringList errors;
    for (QWidget *widget : invalidWidgets()) {
        const QString key = m_keys.value(widget);
        const auto *edit = qobject_cast<QLineEdit *>(widget);
        const QString text = edit ? edit->text().trimmed() : QString();
        if (text.isEmpty())
            errors << tr("%1: missing").arg(key);
        else if (widget == m_ui->localPath || widget == m_ui->syncStatePath)
            errors << tr("%1: '%2' is not an absolute path").arg(key, text);
        else
            errors << tr("%1: '%2' is not an http(s) URL").arg(key, text);
    }
    if (!m_ui->bigqueryGroup->isChecked() && !m_ui->crmGroup->isChecked() && !m_ui->supabaseGroup->isChecked()
        && !m_ui->localGroup->isChecked())
        errors << tr("no layer is selected: the sync needs at least one");
    return errors;
}

void SettingsDialog::save()
{
    const QList<QWidget *> invalid = invalidWidgets();
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        edit->setStyleSheet(invalid.contains(edit) ? kInvalidStyle : QString());
    const QStringList errors = validate();
    if (!errors.isEmpty()) {
        m_ui->errorLabel->setText(tr("Not saved:\n%1").arg(errors.join(QLatin1Char('\n'))));
        if (!invalid.isEmpty())
            invalid.first()->setFocus();
        return;
    }
    config().save(m_configPath);
    // The typed wrapper has the last word on what it reads back.
    const SyncConfig reread = SyncConfig::load(m_configPath);
    if (!reread.errors.isEmpty()) {
        m_ui->errorLabel->setText(tr("Saved, but the file does not read back cleanly:\n%1").arg(reread.errors.join(QLatin1Char('\n'))));
        return;
    }
    QMap<QString, QString> secrets;
    for (const SecretField &secret : std::as_const(m_secrets)) {
        if (!secret.edit->text().isEmpty())
            secrets.insert(secret.keychainKey, secret.edit->text());
    }
    if (secrets.isEmpty()) {
        m_ui->errorLabel->clear();
        emit saved(m_configPath);
        accept();
        return;
    }
    m_waitingForSecrets = true;
    m_ui->buttonBox->setEnabled(false);
    m_ui->errorLabel->setText(tr("Config saved; storing %n secret(s) in the keychain…", nullptr, int(secrets.size())));
    emit secretsSubmitted(secrets);
}

void SettingsDialog::secretsStored(const QStringList &errors)
{
    if (!m_waitingForSecrets)
        return;
    m_waitingForSecrets = false;
    m_ui->buttonBox->setEnabled(true);
    emit secretStatusRequested();
    if (!errors.isEmpty()) {
        // Never a plain-text fallback (STYLE.md): the person decides what to do about the keychain.
        m_ui->errorLabel->setText(tr("Config saved, but not the secrets:\n%1").arg(errors.join(QLatin1Char('\n'))));
        emit saved(m_configPath);
        return;
    }
    for (const SecretField &secret : std::as_const(m_secrets))
        secret.edit->clear();
    m_ui->errorLabel->clear();
    emit saved(m_configPath);
    accept();
}

void SettingsDialog::showTestResult(Layer layer, const QList<HealthCheck> &checks, const QString &error,
                                    const QString &credentials)
{
    QStringList lines;
    if (!credentials.isEmpty())
        lines << QStringLiteral("<i>%1</i>").arg(credentials.toHtmlEscaped());
    if (!error.isEmpty())
        lines << QStringLiteral("✗ %1").arg(error.toHtmlEscaped());
    for (const HealthCheck &check : checks) {
        const QString mark = !check.ok ? QStringLiteral("✗") : check.warning ? QStringLiteral("⚠") : QStringLiteral("✓");
        QString line = QStringLiteral("%1 %2: %3").arg(mark, check.name.toHtmlEscaped(), check.message.toHtmlEscaped());
        if (!check.ok && !check.hint.isEmpty())
            line += QStringLiteral(" <i>(%1)</i>").arg(check.hint.toHtmlEscaped());
        lines << line;
    }
    bool ok = error.isEmpty() && !checks.isEmpty();
    for (const HealthCheck &check : checks)
        ok = ok && check.ok;
    const QString verdict = ok ? tr("<b style=\"color:#2e9d4f\">Connection works.</b>") : tr("<b style=\"color:#c01c1c\">Connection fails.</b>");
    testResultLabel(layer)->setText(verdict + QStringLiteral("<br>") + lines.join(QStringLiteral("<br>")));
}

} // namespace tf
