#include "core/syncplanner.h"

#include "core/contactnormalizer.h"
#include "core/contenthash.h"

#include <QJsonObject>
#include <QJsonValue>

namespace tf {

namespace {

QStringList differingContentFields(const Contact &current, const Contact &target)
{
    QStringList fields;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (spec.isContent()
            && !ContactNormalizer::valuesEqual(spec, current.value(spec.index), target.value(spec.index)))
            fields.append(spec.name);
    }
    return fields;
}

} // namespace

bool ContactPlan::tombstones() const
{
    for (const LayerWrite &write : writes) {
        if (write.operation == QLatin1String("tombstone"))
            return true;
    }
    return false;
}

SyncPlanner::SyncPlanner(PlannerSettings settings)
    : m_settings(std::move(settings))
{
}

QString SyncPlanner::intentHash(Contact contact, const QMap<QString, Layer> &mintedBy)
{
    for (auto it = mintedBy.cbegin(); it != mintedBy.cend(); ++it)
        contact.setValue(it.key(), QVariant());
    return ContentHash::of(contact);
}

std::optional<Contact> SyncPlanner::reference(const ContactState &state, Layer layer) const
{
    const auto record = state.recorded.constFind(layer);
    const auto version = state.versions.constFind(layer);
    if (version != state.versions.cend()) {
        const QString hash = ContentHash::of(*version);
        if (record != state.recorded.cend() && hash == record->hash)
            return *version;
    }
    if (record == state.recorded.cend())
        return std::nullopt;
    return record->snapshot ? record->snapshot : state.base;
}

MergeResult SyncPlanner::merge(const ContactState &state) const
{
    if (m_settings.pushSource) {
        // A push: the source layer's version is the result, but a minted id stays its minter's.
        MergeResult result;
        result.merged = ContactNormalizer::normalized(state.versions.value(*m_settings.pushSource));
        for (auto it = m_settings.mintedBy.cbegin(); it != m_settings.mintedBy.cend(); ++it) {
            if (state.versions.contains(it.value()))
                result.merged.setValue(it.key(), state.versions.value(it.value()).value(it.key()));
        }
        return result;
    }
    MergeInput input;
    input.base = state.base;
    input.versions = state.versions;
    for (auto it = state.proposals.cbegin(); it != state.proposals.cend(); ++it)
        input.versions.insert(it.key(), it.value());
    for (auto it = state.versions.cbegin(); it != state.versions.cend(); ++it) {
        if (const std::optional<Contact> reference = SyncPlanner::reference(state, it.key()))
            input.references.insert(it.key(), *reference);
    }
    input.policy = m_settings.policy;
    input.resolutions = state.resolutions;
    input.mintedBy = m_settings.mintedBy;
    input.stampingLayers = m_settings.stampingLayers;
    MergeResult result = ThreeWayMerge::merge(input);
    // A person's pick is the chosen layer's value even where that layer did not change the field.
    for (auto it = state.resolutions.cbegin(); it != state.resolutions.cend(); ++it) {
        const FieldSpec &spec = FieldRegistry::field(it.key());
        if (state.versions.contains(it.value())) {
            result.merged.setValue(
                spec.index,
                ContactNormalizer::normalizedValue(spec, state.versions.value(it.value()).value(spec.index)));
            result.fieldSources.insert(spec.name, it.value());
        }
    }
    return result;
}

// In sync: the layer holds the target, or it still holds exactly what the sync last left there (in its own form)
// and that was the base, which is also the target.
bool SyncPlanner::inSync(const ContactState &state, Layer layer, const QString &targetHash) const
{
    const auto version = state.versions.constFind(layer);
    if (version == state.versions.cend())
        return false;
    const QString hash = ContentHash::of(*version);
    if (hash == targetHash)
        return true;
    const auto record = state.recorded.constFind(layer);
    return record != state.recorded.cend() && record->hash == hash && !record->snapshot && state.base
        && ContentHash::of(*state.base) == targetHash;
}

ContactPlan SyncPlanner::plan(const ContactState &state) const
{
    ContactPlan plan;
    plan.contactId = state.contactId;
    plan.merge = merge(state);
    MergeResult &result = plan.merge;
    result.merged.setId(state.contactId);
    if (result.held)
        return plan;

    plan.targetHash = ContentHash::of(result.merged);
    plan.baseHash = state.base ? ContentHash::of(*state.base) : QString();
    const Layer origin = result.fieldSources.isEmpty()
        ? (m_settings.pushSource ? *m_settings.pushSource
                                 : (state.versions.isEmpty() ? state.proposals.firstKey() : state.versions.firstKey()))
        : result.fieldSources.first();
    result.merged.setValue(field::SyncMeta,
                           QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("origin"), layerName(origin)},
                                                                      {QStringLiteral("hash"), plan.targetHash},
                                                                      {QStringLiteral("cycle"), m_settings.cycleId}})));

    for (Layer layer : m_settings.layers) {
        if (inSync(state, layer, plan.targetHash)) {
            plan.inSync.append(layer);
            continue;
        }
        if (state.deadLetterHashes.value(layer) == plan.targetHash)
            continue; // refused before with this very content: it waits in the dead-letter list
        const bool holds = state.versions.contains(layer);
        if (!holds && state.recorded.contains(layer) && !result.merged.isDeleted())
            continue; // the layer lost it without a trace (Twenty's destroy): a delete, found by vanishedContactIds
        LayerWrite write;
        write.layer = layer;
        if (holds)
            write.expected = state.versions.value(layer);
        write.operation = !holds                                                      ? QStringLiteral("create")
            : (result.merged.isDeleted() && !state.versions.value(layer).isDeleted()) ? QStringLiteral("tombstone")
                                                                                      : QStringLiteral("update");
        write.fields = differingContentFields(holds ? state.versions.value(layer) : Contact(), result.merged);
        plan.writes.append(write);
    }
    plan.echo = plan.writes.isEmpty() && plan.targetHash == plan.baseHash;
    return plan;
}

} // namespace tf
