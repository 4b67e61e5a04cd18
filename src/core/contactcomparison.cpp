#include "core/contactcomparison.h"

#include "core/contactnormalizer.h"

namespace tf {

int ContactComparison::differingRows() const
{
    int count = 0;
    for (const Row &row : rows)
        count += row.differs() ? 1 : 0;
    return count;
}

ContactComparison ContactComparison::of(const QString &contactId, const QList<Layer> &layers,
                                        const QMap<Layer, Contact> &versions, const std::optional<Contact> &base)
{
    ContactComparison comparison;
    comparison.contactId = contactId;
    comparison.layers = layers;
    comparison.hasBase = base.has_value();
    for (Layer layer : layers) {
        if (versions.contains(layer))
            comparison.holding.append(layer);
    }
    const bool someLayerLacksIt = !comparison.holding.isEmpty() && comparison.holding.size() < layers.size();
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!spec.isContent())
            continue;
        Row row;
        row.field = spec.name;
        if (base)
            row.base = ContactNormalizer::canonicalText(spec, base->value(spec.index));
        for (Layer layer : std::as_const(comparison.holding)) {
            const QString text = ContactNormalizer::canonicalText(spec, versions.value(layer).value(spec.index));
            row.layersDisagree = row.layersDisagree || (!row.values.isEmpty() && row.values.first() != text);
            row.changedSinceSync = row.changedSinceSync || (row.base && *row.base != text);
            row.values.insert(layer, text);
        }
        // A layer without the contact differs in the id itself, as in `tfsync verify`.
        row.layersDisagree = row.layersDisagree || (someLayerLacksIt && spec.name == field::ContactId);
        comparison.rows.append(row);
    }
    return comparison;
}

} // namespace tf
