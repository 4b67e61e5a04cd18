#include "core/syncconfig.h"

#include "core/inifile.h"
#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <numeric>

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

// Every key the config knows, by section. Anything else is a mistake worth naming: a typo such as
// `conflict-policy=manual` or `[bigqeury]` would otherwise fall back to a default without a word.
const QMap<QString, QStringList> &knownKeys()
{
    static const QMap<QString, QStringList> keys{
        {QStringLiteral("bigquery"),
         {QStringLiteral("project"), QStringLiteral("dataset"), QStringLiteral("table"), QStringLiteral("location"),
          QStringLiteral("endpoint"), QStringLiteral("credentials"), QStringLiteral("allow_insecure")}},
        {QStringLiteral("crm"),
         {QStringLiteral("url"), QStringLiteral("requests_per_minute"), QStringLiteral("allow_insecure")}},
        {QStringLiteral("supabase"),
         {QStringLiteral("dsn"), QStringLiteral("schema"), QStringLiteral("table"), QStringLiteral("allow_insecure")}},
        {QStringLiteral("local"), {QStringLiteral("path")}},
        {QStringLiteral("sync"),
         {QStringLiteral("interval_s"), QStringLiteral("batch_size"), QStringLiteral("conflict_policy"),
          QStringLiteral("state_path"), QStringLiteral("max_delete_share"), QStringLiteral("max_retry_after_s")}},
    };
    return keys;
}

int editDistance(const QString &a, const QString &b)
{
    QList<int> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// " (did you mean X?)" when one known name is a likely intent: `-` for `_`, or two typing slips away.
QString suggestion(const QString &written, const QStringList &known, const QString &format)
{
    QString normalized = written;
    normalized.replace(QLatin1Char('-'), QLatin1Char('_'));
    for (const QString &name : known) {
        if (name == normalized || editDistance(normalized, name) <= 2)
            return QStringLiteral(" (did you mean %1?)").arg(format.arg(name));
    }
    return {};
}

// Reads typed values out of the parsed file, collecting one clear error per problem, each naming section/key and
// the line. A bad value keeps the default, but the error stops every command that would sync with it.
class ConfigReader {
public:
    ConfigReader(const IniFile &file, QStringList &errors)
        : m_file(file)
        , m_errors(errors)
    {
        checkStructure();
    }

    bool hasSection(const QString &section) const { return m_file.hasSection(section); }

    const IniEntry *find(const QString &section, const QString &key) const
    {
        for (const IniEntry &entry : m_file.entries()) {
            if (entry.section == section && entry.key == key)
                return &entry;
        }
        return nullptr;
    }

    QString string(const QString &section, const QString &key, const QString &fallback = {}) const
    {
        const IniEntry *entry = find(section, key);
        return entry ? entry->value : fallback; // IniFile trims what is not quoted; quotes keep blanks on purpose
    }

    // A key that must have a value when its section is there.
    QString required(const QString &section, const QString &key, const QString &fallback = {})
    {
        const QString value = string(section, key, fallback);
        if (value.isEmpty())
            m_errors << QStringLiteral("%1/%2: missing").arg(section, key);
        return value;
    }

    int integer(const QString &section, const QString &key, int fallback, int min, int max)
    {
        const IniEntry *entry = find(section, key);
        if (!entry)
            return fallback;
        bool ok = false;
        const int value = entry->value.trimmed().toInt(&ok);
        if (ok && value >= min && value <= max)
            return value;
        m_errors << QStringLiteral("%1/%2: '%3' is not a whole number from %4 to %5 (line %6)")
                        .arg(section, key, entry->value)
                        .arg(min)
                        .arg(max)
                        .arg(entry->line);
        return fallback;
    }

    double share(const QString &section, const QString &key, double fallback)
    {
        const IniEntry *entry = find(section, key);
        if (!entry)
            return fallback;
        bool ok = false;
        const double value = entry->value.trimmed().toDouble(&ok);
        if (ok && value >= 0.0 && value <= 1.0)
            return value;
        m_errors << QStringLiteral("%1/%2: '%3' is not a number from 0 to 1 (line %4)")
                        .arg(section, key, entry->value)
                        .arg(entry->line);
        return fallback;
    }

    bool boolean(const QString &section, const QString &key)
    {
        const IniEntry *entry = find(section, key);
        if (!entry)
            return false;
        const QString value = entry->value.trimmed().toLower();
        if (value == QLatin1String("true") || value == QLatin1String("yes") || value == QLatin1String("1"))
            return true;
        if (value != QLatin1String("false") && value != QLatin1String("no") && value != QLatin1String("0")) {
            m_errors << QStringLiteral("%1/%2: '%3' is not true or false (line %4)")
                            .arg(section, key, entry->value)
                            .arg(entry->line);
        }
        return false;
    }

private:
    void checkStructure()
    {
        m_errors << m_file.errors();
        const QStringList sections = knownKeys().keys();
        for (const auto &[section, line] : m_file.sections()) {
            if (!knownKeys().contains(section)) {
                m_errors << QStringLiteral("[%1]: unknown section (line %2)%3; the sections are [%4]")
                                .arg(section)
                                .arg(line)
                                .arg(suggestion(section, sections, QStringLiteral("[%1]")),
                                     sections.join(QStringLiteral("], [")));
            }
        }
        QMap<QString, int> firstLine;
        for (const IniEntry &entry : m_file.entries()) {
            const QString name = entry.section + QLatin1Char('/') + entry.key;
            if (!knownKeys().contains(entry.section))
                continue; // the section is already named
            const QStringList &keys = knownKeys().value(entry.section);
            if (!keys.contains(entry.key)) {
                m_errors << QStringLiteral("%1: unknown key (line %2)%3; [%4] takes %5")
                                .arg(name)
                                .arg(entry.line)
                                .arg(suggestion(entry.key, keys, QStringLiteral("%1")), entry.section,
                                     keys.join(QStringLiteral(", ")));
            } else if (firstLine.contains(name)) {
                m_errors << QStringLiteral("%1: set twice (lines %2 and %3); keep one")
                                .arg(name)
                                .arg(firstLine.value(name))
                                .arg(entry.line);
            } else {
                firstLine.insert(name, entry.line);
            }
        }
    }

    const IniFile &m_file;
    QStringList &m_errors;
};

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

    QFile file(path);
    if (!file.exists()) {
        config.errors << QStringLiteral("config file %1 does not exist").arg(path);
        return config;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        config.errors << QStringLiteral("config file %1 is not readable: %2").arg(path, file.errorString());
        return config;
    }
    return parse(file.readAll(), path);
}

SyncConfig SyncConfig::parse(const QByteArray &text, const QString &path)
{
    SyncConfig config;
    config.path = path;
    config.sync.statePath = dataDir() + QStringLiteral("/state.sqlite");
    const IniFile ini = IniFile::parse(text);
    ConfigReader read(ini, config.errors);
    const QString bigquery = QStringLiteral("bigquery");
    const QString crm = QStringLiteral("crm");
    const QString supabase = QStringLiteral("supabase");
    const QString local = QStringLiteral("local");
    const QString sync = QStringLiteral("sync");

    if (read.hasSection(bigquery)) {
        BigQuerySettings bq;
        bq.project = read.required(bigquery, QStringLiteral("project"));
        bq.dataset = read.required(bigquery, QStringLiteral("dataset"));
        bq.table = read.required(bigquery, QStringLiteral("table"), bq.table);
        bq.location = read.string(bigquery, QStringLiteral("location"), bq.location);
        bq.endpoint = read.string(bigquery, QStringLiteral("endpoint"));
        bq.credentialsPath = read.string(bigquery, QStringLiteral("credentials"));
        bq.allowInsecure = read.boolean(bigquery, QStringLiteral("allow_insecure"));
        config.bigquery = bq;
    }
    if (read.hasSection(crm)) {
        CrmSettings settings;
        settings.url = read.required(crm, QStringLiteral("url"));
        settings.requestsPerMinute
            = read.integer(crm, QStringLiteral("requests_per_minute"), settings.requestsPerMinute, 1, 100000);
        settings.allowInsecure = read.boolean(crm, QStringLiteral("allow_insecure"));
        config.crm = settings;
    }
    if (read.hasSection(supabase)) {
        SupabaseSettings settings;
        settings.dsn = read.required(supabase, QStringLiteral("dsn"));
        settings.schema = read.required(supabase, QStringLiteral("schema"), settings.schema);
        settings.table = read.required(supabase, QStringLiteral("table"), settings.table);
        settings.allowInsecure = read.boolean(supabase, QStringLiteral("allow_insecure"));
        config.supabase = settings;
    }
    if (read.hasSection(local))
        config.local = LocalSettings{
            read.required(local, QStringLiteral("path"), dataDir() + QStringLiteral("/contacts.sqlite"))};

    config.sync.intervalSeconds
        = read.integer(sync, QStringLiteral("interval_s"), config.sync.intervalSeconds, 1, 7 * 24 * 3600);
    config.sync.batchSize = read.integer(sync, QStringLiteral("batch_size"), config.sync.batchSize, 1, 10000);
    config.sync.statePath = read.required(sync, QStringLiteral("state_path"), config.sync.statePath);
    config.sync.maxDeleteShare = read.share(sync, QStringLiteral("max_delete_share"), config.sync.maxDeleteShare);
    config.sync.maxRetryAfterSeconds
        = read.integer(sync, QStringLiteral("max_retry_after_s"), config.sync.maxRetryAfterSeconds, 0, 24 * 3600);
    const QString policy = read.string(sync, QStringLiteral("conflict_policy"), QStringLiteral("merge"));
    if (const auto parsed = conflictPolicyFromName(policy))
        config.sync.conflictPolicy = *parsed;
    else
        config.errors
            << QStringLiteral("sync/conflict_policy: '%1' is not one of merge, last-writer-wins, manual").arg(policy);
    for (const QString &error : std::as_const(config.errors))
        qCWarning(lcConfig).noquote() << path << error;
    return config;
}

void SyncConfig::save(const QString &target) const
{
    IniFile ini;
    const auto flag = [](bool on) { return on ? QStringLiteral("true") : QStringLiteral("false"); };
    if (bigquery) {
        const QString section = QStringLiteral("bigquery");
        ini.setValue(section, QStringLiteral("project"), bigquery->project);
        ini.setValue(section, QStringLiteral("dataset"), bigquery->dataset);
        ini.setValue(section, QStringLiteral("table"), bigquery->table);
        ini.setValue(section, QStringLiteral("location"), bigquery->location);
        ini.setValue(section, QStringLiteral("endpoint"), bigquery->endpoint);
        if (!bigquery->credentialsPath.isEmpty())
            ini.setValue(section, QStringLiteral("credentials"), bigquery->credentialsPath);
        if (bigquery->allowInsecure)
            ini.setValue(section, QStringLiteral("allow_insecure"), flag(true));
    }
    if (crm) {
        ini.setValue(QStringLiteral("crm"), QStringLiteral("url"), crm->url);
        ini.setValue(QStringLiteral("crm"), QStringLiteral("requests_per_minute"),
                     QString::number(crm->requestsPerMinute));
        if (crm->allowInsecure)
            ini.setValue(QStringLiteral("crm"), QStringLiteral("allow_insecure"), flag(true));
    }
    if (supabase) {
        const QString section = QStringLiteral("supabase");
        ini.setValue(section, QStringLiteral("dsn"), supabase->dsn);
        ini.setValue(section, QStringLiteral("schema"), supabase->schema);
        ini.setValue(section, QStringLiteral("table"), supabase->table);
        if (supabase->allowInsecure)
            ini.setValue(section, QStringLiteral("allow_insecure"), flag(true));
    }
    if (local)
        ini.setValue(QStringLiteral("local"), QStringLiteral("path"), local->path);
    const QString section = QStringLiteral("sync");
    ini.setValue(section, QStringLiteral("interval_s"), QString::number(sync.intervalSeconds));
    ini.setValue(section, QStringLiteral("batch_size"), QString::number(sync.batchSize));
    ini.setValue(section, QStringLiteral("conflict_policy"), conflictPolicyName(sync.conflictPolicy));
    ini.setValue(section, QStringLiteral("state_path"), sync.statePath);
    ini.setValue(section, QStringLiteral("max_delete_share"), QString::number(sync.maxDeleteShare));
    ini.setValue(section, QStringLiteral("max_retry_after_s"), QString::number(sync.maxRetryAfterSeconds));

    // Written whole or not at all: a crash mid-save must not leave a half file the next start refuses.
    QDir().mkpath(QFileInfo(target).absolutePath());
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly) || file.write(ini.serialize()) < 0 || !file.commit())
        qCWarning(lcConfig).noquote() << "could not save" << target << file.errorString();
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
