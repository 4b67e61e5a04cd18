#include "core/threewaymerge.h"

#include "core/contactnormalizer.h"

namespace tf {

namespace {

int layerRank(Layer layer)
{
    return int(allLayers().indexOf(layer));
}

// Earlier in the fan-out order wins ties: canonical first.
Layer firstInLayerOrder(const QList<Layer> &layers)
{
    Layer best = layers.first();
    for (Layer layer : layers) {
        if (layerRank(layer) < layerRank(best))
            best = layer;
    }
    return best;
}

Layer latestWriter(const QList<Layer> &layers, const QMap<Layer, Contact> &versions, QString *rule)
{
    QList<Layer> latest;
    QDateTime newest;
    for (Layer layer : layers) {
        const QDateTime modified = versions.value(layer).timestamp(field::UpdatedAt);
        if (latest.isEmpty() || (modified.isValid() && (!newest.isValid() || modified > newest))) {
            latest = {layer};
            newest = modified;
        } else if (modified == newest) {
            latest.append(layer);
        }
    }
    *rule = latest.size() == 1 ? QStringLiteral("latest write") : QStringLiteral("layer order");
    return firstInLayerOrder(latest);
}

} // namespace

MergeResult ThreeWayMerge::merge(const MergeInput &input)
{
    MergeResult result;
    const Contact base = input.base ? ContactNormalizer::normalized(*input.base) : Contact();
    QMap<Layer, Contact> versions;
    for (auto it = input.versions.cbegin(); it != input.versions.cend(); ++it)
        versions.insert(it.key(), ContactNormalizer::normalized(it.value()));

    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const QVariant baseValue = base.value(spec.index);
        result.merged.setValue(spec.index, baseValue);
        if (spec.name == field::UpdatedAt || spec.name == field::SyncMeta)
            continue; // each layer's own; the writer sets them

        // The changed layers whose value for this field differs from the base.
        QList<Layer> movers;
        for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
            if (input.changed.contains(it.key())
                && !ContactNormalizer::valuesEqual(spec, it.value().value(spec.index), baseValue)) {
                movers.append(it.key());
            }
        }
        if (movers.isEmpty())
            continue;

        // The CRM's own record id is only ever minted by the CRM: its value is not up for a vote.
        if (spec.name == field::CrmId && movers.contains(Layer::Crm)) {
            result.merged.setValue(spec.index, versions.value(Layer::Crm).value(spec.index));
            result.fieldSources.insert(spec.name, Layer::Crm);
            continue;
        }

        bool agree = true;
        for (Layer mover : std::as_const(movers)) {
            agree = agree && ContactNormalizer::valuesEqual(spec, versions.value(mover).value(spec.index),
                                                            versions.value(movers.first()).value(spec.index));
        }
        if (agree) {
            const Layer source = firstInLayerOrder(movers);
            result.merged.setValue(spec.index, versions.value(source).value(spec.index));
            result.fieldSources.insert(spec.name, source);
            continue;
        }

        FieldConflict conflict;
        conflict.field = spec.name;
        conflict.base = baseValue;
        for (Layer mover : std::as_const(movers))
            conflict.values.insert(mover, versions.value(mover).value(spec.index));

        if (input.resolutions.contains(spec.name)) {
            const Layer chosen = input.resolutions.value(spec.name);
            conflict.winner = chosen;
            conflict.rule = QStringLiteral("resolved");
        } else {
            switch (input.policy) {
            case ConflictPolicy::Merge:
                if (movers.contains(kCanonicalLayer)) {
                    conflict.winner = kCanonicalLayer;
                    conflict.rule = QStringLiteral("canonical");
                } else {
                    // Two non-canonical layers disagree and the canonical one has no opinion: the newer write wins.
                    conflict.winner = latestWriter(movers, versions, &conflict.rule);
                }
                break;
            case ConflictPolicy::LastWriterWins:
                conflict.winner = latestWriter(movers, versions, &conflict.rule);
                break;
            case ConflictPolicy::Manual:
                result.held = true;
                break;
            }
        }
        if (conflict.winner) {
            const Contact &winner = versions.contains(*conflict.winner) ? versions[*conflict.winner] : base;
            result.merged.setValue(spec.index, winner.value(spec.index));
            result.fieldSources.insert(spec.name, *conflict.winner);
        }
        result.conflicts.append(conflict);
    }
    return result;
}

} // namespace tf
