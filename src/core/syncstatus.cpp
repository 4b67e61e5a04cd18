#include "core/syncstatus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

QString syncStateName(SyncStatus::State state)
{
    switch (state) {
    case SyncStatus::State::Idle:
        return QStringLiteral("idle");
    case SyncStatus::State::Syncing:
        return QStringLiteral("syncing");
    case SyncStatus::State::Paused:
        return QStringLiteral("paused");
    case SyncStatus::State::Error:
        return QStringLiteral("error");
    }
    return {};
}

SyncStatus SyncStatus::collect(const SyncConfig &config, const StateDatabase &state,
                               const QMap<Layer, QString> &layerErrors, const QStringList &blockers, bool running,
                               bool paused)
{
    SyncStatus status;
    status.problems = blockers;
    const QJsonObject lastCycle = QJsonDocument::fromJson(state.meta(QStringLiteral("last_cycle")).toUtf8()).object();
    const QJsonArray cycleErrors = lastCycle.value(QStringLiteral("errors")).toArray();
    for (Layer layer : allLayers()) {
        LayerStatus entry;
        entry.layer = layer;
        entry.configured = config.isConfigured(layer);
        if (entry.configured) {
            const QString name = layerName(layer);
            entry.watermark = state.watermark(layer);
            entry.pulledLastCycle = lastCycle.value(QStringLiteral("pulled")).toObject().value(name).toInt();
            entry.writtenLastCycle = lastCycle.value(QStringLiteral("written")).toObject().value(name).toInt();
            entry.rejectedLastCycle = lastCycle.value(QStringLiteral("rejected")).toObject().value(name).toInt();
            // A connector's errors name their layer first ("crm: ...", connector.cpp); the row already does.
            entry.error = layerErrors.value(layer);
            if (entry.error.startsWith(name + QStringLiteral(": ")))
                entry.error = entry.error.mid(name.size() + 2);
            for (const QJsonValue &error : cycleErrors) {
                if (entry.error.isEmpty() && error.toString().startsWith(name + QStringLiteral(": ")))
                    entry.error = error.toString().mid(name.size() + 2);
            }
            if (layerErrors.contains(layer))
                status.problems << QStringLiteral("%1: %2").arg(name, entry.error);
            if (const auto wait = state.layerWait(layer, QDateTime::currentDateTimeUtc())) {
                entry.waitingUntil = wait->until;
                entry.waitReason = wait->reason;
            }
        }
        status.layers.append(entry);
    }
    for (const QJsonValue &error : cycleErrors)
        status.problems << error.toString();

    status.contacts = state.baseCount();
    status.totalSynced = state.meta(QStringLiteral("total_synced")).toInt();
    status.openConflicts = int(state.conflicts().size());
    status.deadLetters = int(state.deadLetters().size());
    status.lastSyncTime = QDateTime::fromString(state.meta(QStringLiteral("last_sync_time")), Qt::ISODateWithMs);
    if (status.openConflicts > 0)
        status.problems << QStringLiteral("%1 conflict(s) wait for a person to choose").arg(status.openConflicts);
    if (status.deadLetters > 0)
        status.problems << QStringLiteral("%1 record(s) were refused by a layer (dead letters)").arg(status.deadLetters);

    status.running = running;
    status.paused = paused;
    status.problems.removeDuplicates();
    status.state = running ? State::Syncing : State::Idle;
    if (paused)
        status.state = State::Paused;
    if (!status.problems.isEmpty())
        status.state = State::Error;
    return status;
}

SyncStatus SyncStatus::failed(const QStringList &blockers)
{
    SyncStatus status;
    status.state = State::Error;
    status.problems = blockers;
    for (Layer layer : allLayers())
        status.layers.append(LayerStatus{layer, false, {}, 0, 0, 0, {}, {}, {}});
    return status;
}

QString LayerStatus::waitText(const QDateTime &now) const
{
    if (!waitingUntil.isValid() || waitingUntil <= now)
        return {};
    return QStringLiteral("waits %1 s: %2").arg((now.msecsTo(waitingUntil) + 999) / 1000).arg(waitReason);
}

QString SyncStatus::summary() const
{
    QString text;
    switch (state) {
    case State::Idle:
        text = QStringLiteral("In sync");
        break;
    case State::Syncing:
        text = QStringLiteral("Syncing");
        for (const LayerStatus &layer : layers) {
            const QString wait = layer.waitText(QDateTime::currentDateTimeUtc());
            if (!wait.isEmpty())
                text += QStringLiteral(" (%1 %2)").arg(layerName(layer.layer), wait);
        }
        break;
    case State::Paused:
        text = QStringLiteral("Paused");
        break;
    case State::Error:
        text = problems.isEmpty() ? QStringLiteral("Error") : problems.first();
        if (problems.size() > 1)
            text += QStringLiteral(" (+%1 more)").arg(problems.size() - 1);
        break;
    }
    text += QStringLiteral(" — %1 contacts").arg(contacts);
    if (lastSyncTime.isValid())
        text += QStringLiteral(", last sync %1").arg(lastSyncTime.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    return text;
}

} // namespace tf
