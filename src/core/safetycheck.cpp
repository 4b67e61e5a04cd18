#include "core/safetycheck.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QStorageInfo>

namespace tf {

namespace {

constexpr qint64 kMinimumFreeBytes = 200LL * 1024 * 1024;

QString levelName(SafetyItem::Level level)
{
    switch (level) {
    case SafetyItem::Level::Pass:
        return QStringLiteral("pass");
    case SafetyItem::Level::Warn:
        return QStringLiteral("warn");
    case SafetyItem::Level::Fail:
        return QStringLiteral("fail");
    }
    return {};
}

SafetyItem item(const QString &check, const QString &layer, SafetyItem::Level level, const QString &message,
                const QString &hint = {})
{
    return SafetyItem{check, layer, level, message, hint};
}

} // namespace

QString safetyVerdictName(SafetyVerdict verdict)
{
    switch (verdict) {
    case SafetyVerdict::Safe:
        return QStringLiteral("SAFE");
    case SafetyVerdict::SafeWithWarnings:
        return QStringLiteral("SAFE_WITH_WARNINGS");
    case SafetyVerdict::Unsafe:
        return QStringLiteral("UNSAFE");
    }
    return {};
}

SafetyVerdict SafetyReport::verdict() const
{
    SafetyVerdict verdict = SafetyVerdict::Safe;
    for (const SafetyItem &entry : items) {
        if (entry.level == SafetyItem::Level::Fail)
            return SafetyVerdict::Unsafe;
        if (entry.level == SafetyItem::Level::Warn)
            verdict = SafetyVerdict::SafeWithWarnings;
    }
    return verdict;
}

QJsonObject SafetyReport::toJson() const
{
    QJsonArray checks;
    for (const SafetyItem &entry : items) {
        QJsonObject object{{QStringLiteral("check"), entry.check},
                           {QStringLiteral("status"), levelName(entry.level)},
                           {QStringLiteral("message"), entry.message}};
        if (!entry.layer.isEmpty())
            object.insert(QStringLiteral("layer"), entry.layer);
        if (!entry.hint.isEmpty())
            object.insert(QStringLiteral("hint"), entry.hint);
        checks.append(object);
    }
    return QJsonObject{{QStringLiteral("verdict"), safetyVerdictName(verdict())}, {QStringLiteral("checks"), checks}};
}

SafetyCheck::SafetyCheck(const SyncConfig &config, StateDatabase *state, QMap<Layer, Connector *> connectors,
                         SafetyContext context)
    : m_config(config)
    , m_state(state)
    , m_connectors(std::move(connectors))
    , m_context(std::move(context))
{
}

SafetyReport SafetyCheck::run()
{
    SafetyReport report;
    checkConfiguration(report);
    checkLayers(report);
    checkState(report);
    return report;
}

void SafetyCheck::checkConfiguration(SafetyReport &report)
{
    if (m_config.errors.isEmpty()) {
        report.items << item(QStringLiteral("configuration"), {}, SafetyItem::Level::Pass,
                             QStringLiteral("%1 is complete").arg(m_config.path));
    } else {
        for (const QString &error : m_config.errors) {
            report.items << item(QStringLiteral("configuration"), {}, SafetyItem::Level::Fail, error,
                                 QStringLiteral("fix the key in %1 (see README, Configuration)").arg(m_config.path));
        }
    }
    if (!m_config.isConfigured(kCanonicalLayer)) {
        report.items << item(QStringLiteral("configuration"), layerName(kCanonicalLayer), SafetyItem::Level::Warn,
                             QStringLiteral("the canonical layer is not configured; changes fan out without it"),
                             QStringLiteral("add a [bigquery] section"));
    }
    for (Layer layer : allLayers()) {
        if (layer != kCanonicalLayer && !m_config.isConfigured(layer)) {
            report.items << item(QStringLiteral("configuration"), layerName(layer), SafetyItem::Level::Warn,
                                 QStringLiteral("not configured: the sync skips this layer"),
                                 QStringLiteral("add a [%1] section to sync it").arg(layerName(layer)));
        }
    }
}

void SafetyCheck::checkLayers(SafetyReport &report)
{
    for (Layer layer : m_config.configuredLayers()) {
        const QString name = layerName(layer);
        if (m_context.missingSecrets.contains(layer)) {
            report.items << item(QStringLiteral("credentials"), name, SafetyItem::Level::Fail,
                                 QStringLiteral("no credentials: %1").arg(m_context.missingSecrets.value(layer)),
                                 QStringLiteral("set it in the environment or store it with the app's settings dialog"));
        } else {
            report.items << item(QStringLiteral("credentials"), name, SafetyItem::Level::Pass,
                                 m_context.credentialSources.value(layer, QStringLiteral("credentials present")));
        }
        if (m_context.connectorErrors.contains(layer)) {
            report.items << item(QStringLiteral("reachable"), name, SafetyItem::Level::Fail,
                                 m_context.connectorErrors.value(layer));
            continue;
        }
        Connector *connector = m_connectors.value(layer);
        if (!connector)
            continue;
        QList<HealthCheck> checks;
        try {
            checks = connector->healthChecks();
        } catch (const ConnectorError &error) {
            report.items << item(QStringLiteral("reachable"), name, SafetyItem::Level::Fail,
                                 QString::fromUtf8(error.what()));
            continue;
        }
        for (const HealthCheck &check : std::as_const(checks)) {
            const SafetyItem::Level level = !check.ok ? SafetyItem::Level::Fail
                : check.warning                       ? SafetyItem::Level::Warn
                                                      : SafetyItem::Level::Pass;
            report.items << item(check.name, name, level, check.message, check.hint);
        }
    }
}

void SafetyCheck::checkState(SafetyReport &report)
{
    if (!m_context.anotherInstance.isEmpty()) {
        report.items << item(QStringLiteral("another instance"), {}, SafetyItem::Level::Fail, m_context.anotherInstance,
                             QStringLiteral("stop the other instance (tray icon, systemd unit or tfsync run)"));
    } else {
        report.items << item(QStringLiteral("another instance"), {}, SafetyItem::Level::Pass,
                             QStringLiteral("no other instance holds the lock"));
    }
    if (!m_state) {
        report.items << item(QStringLiteral("state database"), {}, SafetyItem::Level::Fail,
                             QStringLiteral("the state database could not be opened"));
        return;
    }
    const QString integrity = m_state->integrityCheck();
    report.items << item(QStringLiteral("state database"), {},
                         integrity == QLatin1String("ok") ? SafetyItem::Level::Pass : SafetyItem::Level::Fail,
                         QStringLiteral("%1: integrity %2").arg(m_state->path(), integrity),
                         integrity == QLatin1String("ok") ? QString()
                                                          : QStringLiteral("move the file aside; the next cycle rebuilds it"));
    const QStorageInfo storage(QFileInfo(m_state->path()).absolutePath());
    const bool roomy = storage.bytesAvailable() >= kMinimumFreeBytes;
    report.items << item(QStringLiteral("free disk"), {}, roomy ? SafetyItem::Level::Pass : SafetyItem::Level::Warn,
                         QStringLiteral("%1 MiB free for the state database").arg(storage.bytesAvailable() / (1024 * 1024)),
                         roomy ? QString() : QStringLiteral("free some disk space"));
    const int conflicts = int(m_state->conflicts().size());
    report.items << item(QStringLiteral("open conflicts"), {}, conflicts ? SafetyItem::Level::Warn : SafetyItem::Level::Pass,
                         QStringLiteral("%1 conflicts wait for a person").arg(conflicts),
                         conflicts ? QStringLiteral("tfsync conflicts list, then tfsync conflicts resolve ID --take LAYER") : QString());
    const int letters = int(m_state->deadLetters().size());
    report.items << item(QStringLiteral("dead letters"), {}, letters ? SafetyItem::Level::Warn : SafetyItem::Level::Pass,
                         QStringLiteral("%1 records a layer keeps refusing").arg(letters),
                         letters ? QStringLiteral("see tfsync history for the errors; fix the record in any layer") : QString());
    const int interrupted = int(m_state->unfinishedJournal().size());
    if (interrupted) {
        report.items << item(QStringLiteral("journal"), {}, SafetyItem::Level::Warn,
                             QStringLiteral("%1 writes of an interrupted cycle will be re-planned").arg(interrupted));
    }
}

} // namespace tf
