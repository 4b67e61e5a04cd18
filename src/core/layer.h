#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace tf {

// The four layers, in fan-out order: the canonical layer first (DESIGN.md).
enum class Layer { BigQuery, Crm, Supabase, Local };

inline constexpr Layer kCanonicalLayer = Layer::BigQuery;

// "bigquery", "crm", "supabase", "local": the names used in the CLI, config, JSON, logs and UI.
QString layerName(Layer layer);
std::optional<Layer> layerFromName(const QString &name);
const QList<Layer> &allLayers();

} // namespace tf
