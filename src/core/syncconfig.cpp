#include "core/syncconfig.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace tf {

QString conflictPolicyName(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::Merge:
        return QStringLiteral("merge");
    case ConflictPolicy::LastWriterWins:
        return QStringLiteral("last-writer-wins");
    case ConflictPolicy::Manual:
        return QStringLiteral("manual");
    }
    return {};
}

std::optional<ConflictPolicy> conflictPolicyFromName(const QString &name)
{
    for (ConflictPolicy policy : {ConflictPolicy::Merge, ConflictPolicy::LastWriterWins, ConflictPolicy::Manual}) {
        if (conflictPolicyName(policy) == name)
            return policy;
    }
    return std::nullopt;
}

namespace {

QString dataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/truthforge");
}

// Reads an integer key, recording a clear error for anything but a number in [min, max].
int readInt(QSettings &settings, const QString &key, int fallback, int min, int max, QStringList &errors)
{
    if (!settings.contains(key))
        return fallback;
    bool ok = false;
    const int value = settings.value(key).toString().trimmed().toInt(&ok);
    if (!ok || value < min || value > max) {
        errors << QStringLiteral("%1: '%2' is not a whole number from %3 to %4")
                      .arg(key, settings.value(key).toString())
                      .arg(min)
                      .arg(max);
        return fallback;
    }
    return value;
}

// QSettings forgets a section that has no keys, but "[crm]" alone still means the user wants that layer
// (and should hear that its url is missing), so the section headers are read from the file itself.
QStringList sectionsInFile(const QString &path)
{
    QStringList sections;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return sections;
    static const QRegularExpression header(QStringLiteral("^\\s*\\[([A-Za-z0-9_]+)\\]\\s*$"));
    while (!file.atEnd()) {
        const QRegularExpressionMatch match = header.match(QString::fromUtf8(file.readLine()).trimmed());
        if (match.hasMatch())
            sections.append(match.captured(1).toLower());
    }
    return sections;
}

QStringList settingsGroups(QSettings &settings, const QString &path)
{
    QStringList groups = settings.childGroups();
    for (const QString &section : sectionsInFile(path)) {
        if (!groups.contains(section))
            groups.append(section);
    }
    return groups;
}

QString readString(QSettings &settings, const QString &key, const QString &fallback = {})
{
    return settings.value(key, fallback).toString().trimmed();
}

} // namespace

QString SyncConfig::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/truthforge/sync.ini");
}

SyncConfig SyncConfig::load(const QString &path)
{
    SyncConfig config;
    config.path = path;
    config.sync.statePath = dataDir() + QStringLiteral("/state.sqlite");

    const QFileInfo info(path);
    if (!info.exists()) {
        config.errors << QStringLiteral("config file %1 does not exist").arg(path);
        return config;
    }
    if (!info.isReadable()) {
        config.errors << QStringLiteral("config file %1 is not readable").arg(path);
        return config;
    }

    QSettings settings(path, QSettings::IniFormat);
    if (settings.status() == QSettings::FormatError) {
        config.errors << QStringLiteral("config file %1 is not a valid INI file").arg(path);
        return config;
    }
    const QStringList groups = settingsGroups(settings, path);

    if (groups.contains(QStringLiteral("bigquery"))) {
        BigQuerySettings bq;
        bq.project = readString(settings, QStringLiteral("bigquery/project"));
        bq.dataset = readString(settings, QStringLiteral("bigquery/dataset"));
        bq.table = readString(settings, QStringLiteral("bigquery/table"), bq.table);
        bq.location = readString(settings, QStringLiteral("bigquery/location"), bq.location);
        bq.endpoint = readString(settings, QStringLiteral("bigquery/endpoint"));
        bq.credentialsPath = readString(settings, QStringLiteral("bigquery/credentials"));
        for (const auto &[key, value] : {std::pair{QStringLiteral("project"), bq.project},
                                         std::pair{QStringLiteral("dataset"), bq.dataset},
                                         std::pair{QStringLiteral("table"), bq.table}}) {
            if (value.isEmpty())
                config.errors << QStringLiteral("bigquery/%1: missing").arg(key);
        }
        config.bigquery = bq;
    }
    if (groups.contains(QStringLiteral("crm"))) {
        CrmSettings crm;
        crm.url = readString(settings, QStringLiteral("crm/url"));
        crm.requestsPerMinute = readInt(settings, QStringLiteral("crm/requests_per_minute"), crm.requestsPerMinute,
                                        1, 100000, config.errors);
        if (crm.url.isEmpty())
            config.errors << QStringLiteral("crm/url: missing");
        config.crm = crm;
    }
    if (groups.contains(QStringLiteral("supabase"))) {
        SupabaseSettings supabase;
        supabase.dsn = readString(settings, QStringLiteral("supabase/dsn"));
        supabase.schema = readString(settings, QStringLiteral("supabase/schema"), supabase.schema);
        supabase.table = readString(settings, QStringLiteral("supabase/table"), supabase.table);
        if (supabase.dsn.isEmpty())
            config.errors << QStringLiteral("supabase/dsn: missing");
        config.supabase = supabase;
    }
    if (groups.contains(QStringLiteral("local"))) {
        LocalSettings local;
        local.path = readString(settings, QStringLiteral("local/path"), dataDir() + QStringLiteral("/contacts.sqlite"));
        config.local = local;
    }

    config.sync.intervalSeconds =
        readInt(settings, QStringLiteral("sync/interval_s"), config.sync.intervalSeconds, 1, 7 * 24 * 3600, config.errors);
    config.sync.batchSize =
        readInt(settings, QStringLiteral("sync/batch_size"), config.sync.batchSize, 1, 10000, config.errors);
    config.sync.statePath = readString(settings, QStringLiteral("sync/state_path"), config.sync.statePath);
    const QString policy = readString(settings, QStringLiteral("sync/conflict_policy"), QStringLiteral("merge"));
    if (const auto parsed = conflictPolicyFromName(policy))
        config.sync.conflictPolicy = *parsed;
    else
        config.errors << QStringLiteral("sync/conflict_policy: '%1' is not one of merge, last-writer-wins, manual")
                             .arg(policy);
    if (settings.contains(QStringLiteral("sync/max_delete_share"))) {
        bool ok = false;
        const double share = settings.value(QStringLiteral("sync/max_delete_share")).toString().toDouble(&ok);
        if (ok && share >= 0.0 && share <= 1.0)
            config.sync.maxDeleteShare = share;
        else
            config.errors << QStringLiteral("sync/max_delete_share: must be a number from 0 to 1");
    }
    for (const QString &error : std::as_const(config.errors))
        qCWarning(lcConfig) << error;
    return config;
}

void SyncConfig::save(const QString &target) const
{
    QDir().mkpath(QFileInfo(target).absolutePath());
    QSettings settings(target, QSettings::IniFormat);
    settings.clear();
    if (bigquery) {
        settings.setValue(QStringLiteral("bigquery/project"), bigquery->project);
        settings.setValue(QStringLiteral("bigquery/dataset"), bigquery->dataset);
        settings.setValue(QStringLiteral("bigquery/table"), bigquery->table);
        settings.setValue(QStringLiteral("bigquery/location"), bigquery->location);
        settings.setValue(QStringLiteral("bigquery/endpoint"), bigquery->endpoint);
        if (!bigquery->credentialsPath.isEmpty())
            settings.setValue(QStringLiteral("bigquery/credentials"), bigquery->credentialsPath);
    }
    if (crm) {
        settings.setValue(QStringLiteral("crm/url"), crm->url);
        settings.setValue(QStringLiteral("crm/requests_per_minute"), crm->requestsPerMinute);
    }
    if (supabase) {
        settings.setValue(QStringLiteral("supabase/dsn"), supabase->dsn);
        settings.setValue(QStringLiteral("supabase/schema"), supabase->schema);
        settings.setValue(QStringLiteral("supabase/table"), supabase->table);
    }
    if (local)
        settings.setValue(QStringLiteral("local/path"), local->path);
    settings.setValue(QStringLiteral("sync/interval_s"), sync.intervalSeconds);
    settings.setValue(QStringLiteral("sync/batch_size"), sync.batchSize);
    settings.setValue(QStringLiteral("sync/conflict_policy"), conflictPolicyName(sync.conflictPolicy));
    settings.setValue(QStringLiteral("sync/state_path"), sync.statePath);
    settings.setValue(QStringLiteral("sync/max_delete_share"), sync.maxDeleteShare);
    settings.sync();
}

bool SyncConfig::isConfigured(Layer layer) const
{
    switch (layer) {
    case Layer::BigQuery:
        return bigquery.has_value();
    case Layer::Crm:
        return crm.has_value();
    case Layer::Supabase:
        return supabase.has_value();
    case Layer::Local:
        return local.has_value();
    }
    return false;
}

QList<Layer> SyncConfig::configuredLayers() const
{
    QList<Layer> layers;
    for (Layer layer : allLayers()) {
        if (isConfigured(layer))
            layers.append(layer);
    }
    return layers;
}

} // namespace tf
