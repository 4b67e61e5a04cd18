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

bool sameValue(const FieldSpec &spec, const QVariant &a, const QVariant &b, bool presenceOnly)
{
    return presenceOnly ? a.isNull() == b.isNull() : ContactNormalizer::valuesEqual(spec, a, b);
}

// Whether a layer changed `spec` since the sync last knew its value, to something the base does not hold already.
bool changedField(const FieldSpec &spec, const QVariant &value, const QVariant &baseValue, const Contact *reference,
                  bool presenceOnly)
{
    if (reference && sameValue(spec, value, reference->value(spec.index), presenceOnly))
        return false;
    return !sameValue(spec, value, baseValue, presenceOnly);
}

} // namespace

MergeResult ThreeWayMerge::merge(const MergeInput &input)
{
    MergeResult result;
    const bool rebuilding = !input.base.has_value();
    const Contact base = input.base ? ContactNormalizer::normalized(*input.base) : Contact();
    QMap<Layer, Contact> versions, references;
    for (auto it = input.versions.cbegin(); it != input.versions.cend(); ++it)
        versions.insert(it.key(), ContactNormalizer::normalized(it.value()));
    for (auto it = input.references.cbegin(); it != input.references.cend(); ++it)
        references.insert(it.key(), ContactNormalizer::normalized(it.value()));

    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const QVariant baseValue = base.value(spec.index);
        result.merged.setValue(spec.index, baseValue);
        if (spec.name == field::UpdatedAt || spec.name == field::SyncMeta)
            continue; // each layer's own; the writer sets them

        // The layers that changed this field.
        QList<Layer> movers;
        for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
            const auto reference = references.constFind(it.key());
            const bool presenceOnly = spec.isStampedByTwenty() && input.stampingLayers.contains(it.key());
            if (changedField(spec, it.value().value(spec.index), baseValue,
                             reference == references.cend() ? nullptr : &*reference, presenceOnly))
                movers.append(it.key());
        }
        if (movers.isEmpty())
            continue;

        // A record id is only ever minted by its own layer: its value is not up for a vote.
        const auto minter = input.mintedBy.constFind(spec.name);
        if (minter != input.mintedBy.cend() && movers.contains(*minter)) {
            result.merged.setValue(spec.index, versions.value(*minter).value(spec.index));
            result.fieldSources.insert(spec.name, *minter);
            continue;
        }

        // A stamping layer's time is its own: it agrees with any other layer's time, which is the one taken.
        QList<Layer> exact;
        for (Layer mover : std::as_const(movers)) {
            if (!(spec.isStampedByTwenty() && input.stampingLayers.contains(mover)))
                exact.append(mover);
        }
        const QList<Layer> &voters = exact.isEmpty() ? movers : exact;
        bool agree = true;
        for (Layer mover : std::as_const(movers)) {
            const bool presenceOnly = spec.isStampedByTwenty()
                && (input.stampingLayers.contains(mover) || input.stampingLayers.contains(voters.first()));
            agree = agree
                && sameValue(spec, versions.value(mover).value(spec.index),
                             versions.value(voters.first()).value(spec.index), presenceOnly);
        }
        if (agree) {
            const Layer source = firstInLayerOrder(voters);
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
                if (rebuilding) {
                    result.held = true; // no base: nothing says which value is the edit
                } else if (movers.contains(kCanonicalLayer)) {
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
