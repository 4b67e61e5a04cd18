#pragma once

#include "core/layer.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace tf {

enum class ConflictPolicy { Merge, LastWriterWins, Manual };
QString conflictPolicyName(ConflictPolicy policy);
std::optional<ConflictPolicy> conflictPolicyFromName(const QString &name);

struct BigQuerySettings {
    QString project;
    QString dataset;
    QString table = QStringLiteral("contacts");
    QString location = QStringLiteral("US");
    QString endpoint;        // empty = Google; BIGQUERY_EMULATOR_HOST is honoured too
    QString credentialsPath; // service-account key; GOOGLE_APPLICATION_CREDENTIALS when empty
};

struct CrmSettings {
    QString url;
    int requestsPerMinute = 100; // Twenty's per-workspace limit (twenty-rest.md §6)
};

struct SupabaseSettings {
    QString dsn;
    QString schema = QStringLiteral("public");
    QString table = QStringLiteral("contacts");
};

struct LocalSettings {
    QString path;
};

struct SyncSettings {
    int intervalSeconds = 300;
    int batchSize = 100;
    ConflictPolicy conflictPolicy = ConflictPolicy::Merge;
    QString statePath;
    double maxDeleteShare = 0.10;
};

// The typed wrapper around the INI file (DESIGN.md "Config"): the one place that knows every key, its default
// and its validation. Nobody else reads QSettings with string keys. Secrets are never part of it.
class SyncConfig
{
public:
    // Reads `path`; problems (unreadable file, bad values) are collected in errors(), each naming section/key.
    static SyncConfig load(const QString &path);
    static QString defaultPath();
    void save(const QString &path) const;

    bool isConfigured(Layer layer) const;
    QList<Layer> configuredLayers() const;

    QString path;
    QStringList errors;
    std::optional<BigQuerySettings> bigquery;
    std::optional<CrmSettings> crm;
    std::optional<SupabaseSettings> supabase;
    std::optional<LocalSettings> local;
    SyncSettings sync;
};

} // namespace tf
