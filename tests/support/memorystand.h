#pragma once

#include "core/consistencyverifier.h"
#include "core/statedatabase.h"
#include "core/syncengine.h"
#include "support/memoryconnector.h"

#include <QMap>
#include <QTemporaryDir>
#include <memory>
#include <vector>

namespace tf::test {

// The engine between four in-memory layers (one shared clock) over a real state database in a temporary
// directory: what the engine's unit, model and apply-choices suites stand on.
struct MemoryStand {
    explicit MemoryStand(const SyncSettings &settings);

    MemoryConnector &operator[](Layer layer) { return *layers[layer]; }
    VerifyReport verify() const { return ConsistencyVerifier(connectors).verify(); }
    int totalWriteCalls() const;

    QTemporaryDir dir;
    qint64 clock = 1'700'000'000'000;
    std::unique_ptr<StateDatabase> state;
    std::vector<std::unique_ptr<MemoryConnector>> owned;
    QMap<Layer, MemoryConnector *> layers;
    QMap<Layer, Connector *> connectors;
    std::unique_ptr<SyncEngine> engine;
};

} // namespace tf::test
