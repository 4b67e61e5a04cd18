#include "core/cyclereport.h"

#include <QJsonArray>

namespace tf {

namespace {

QJsonObject perLayer(const QMap<Layer, int> &counts)
{
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(layerName(it.key()), it.value());
    return object;
}

} // namespace

int CycleReport::totalWritten() const
{
    int total = 0;
    for (int count : written)
        total += count;
    return total;
}

QJsonObject CycleReport::toJson() const
{
    QJsonArray planned;
    for (const PlannedWrite &write : plan) {
        planned.append(QJsonObject{{QStringLiteral("contact_id"), write.contactId},
                                   {QStringLiteral("layer"), layerName(write.layer)},
                                   {QStringLiteral("operation"), write.operation},
                                   {QStringLiteral("fields"), QJsonArray::fromStringList(write.fields)}});
    }
    return QJsonObject{{QStringLiteral("cycle_id"), cycleId},
                       {QStringLiteral("started"), started.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("finished"), finished.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("dry_run"), dryRun},
                       {QStringLiteral("pulled"), perLayer(pulled)},
                       {QStringLiteral("written"), perLayer(written)},
                       {QStringLiteral("rejected"), perLayer(rejected)},
                       {QStringLiteral("moved"), perLayer(moved)},
                       {QStringLiteral("contacts_processed"), contactsProcessed},
                       {QStringLiteral("echoes_suppressed"), echoesSuppressed},
                       {QStringLiteral("conflicts"), conflicts},
                       {QStringLiteral("held"), held},
                       {QStringLiteral("planned_deletes"), plannedDeletes},
                       {QStringLiteral("mass_delete_blocked"), massDeleteBlocked},
                       {QStringLiteral("plan"), planned},
                       {QStringLiteral("refused_values"), QJsonArray::fromStringList(refusedValues)},
                       {QStringLiteral("errors"), QJsonArray::fromStringList(errors)}};
}

} // namespace tf
