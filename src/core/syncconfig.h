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
    bool allowInsecure = false; // plain http to a host other than this machine, accepted by the user by name
};

struct CrmSettings {
    QString url;
    int requestsPerMinute = 100; // Twenty's per-workspace limit (twenty-rest.md §6)
    bool allowInsecure = false;  // plain http to a host other than this machine, accepted by the user by name
};

struct SupabaseSettings {
    QString dsn;
    QString schema = QStringLiteral("public");
    QString table = QStringLiteral("contacts");
    bool allowInsecure = false; // an sslmode that allows plaintext to a host other than this machine
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
    // The longest Retry-After a connector waits out within a cycle; a longer one ends the cycle for that layer and
    // the next cycle tries again (a 2-minute sleep would look like a hang).
    int maxRetryAfterSeconds = 60;
};

// The typed wrapper around the INI file (DESIGN.md "Config"): the one place that knows every key, its default
// and its validation. Nobody else reads the file. Secrets are never part of it. An unknown section or key, a
// value that is not what its key takes, a line that cannot be read: each is an error naming key and line.
class SyncConfig
{
public:
    // Reads `path`; problems (unreadable file, bad values) are collected in errors(), each naming section/key.
    static SyncConfig load(const QString &path);
    // The same for a file's bytes already read; `path` names it in messages.
    static SyncConfig parse(const QByteArray &text, const QString &path);
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
