#include "core/layer.h"

namespace tf {

QString layerName(Layer layer)
{
    switch (layer) {
    case Layer::BigQuery:
        return QStringLiteral("bigquery");
    case Layer::Crm:
        return QStringLiteral("crm");
    case Layer::Supabase:
        return QStringLiteral("supabase");
    case Layer::Local:
        return QStringLiteral("local");
    }
    return {};
}

std::optional<Layer> layerFromName(const QString &name)
{
    for (Layer layer : allLayers()) {
        if (layerName(layer) == name)
            return layer;
    }
    return std::nullopt;
}

const QList<Layer> &allLayers()
{
    static const QList<Layer> layers{Layer::BigQuery, Layer::Crm, Layer::Supabase, Layer::Local};
    return layers;
}

} // namespace tf
