#include "support/memorystand.h"

namespace tf::test {

MemoryStand::MemoryStand(const SyncSettings &settings)
    : state(std::make_unique<StateDatabase>(dir.filePath(QStringLiteral("state.sqlite"))))
{
    state->open();
    for (Layer layer : allLayers()) {
        owned.push_back(std::make_unique<MemoryConnector>(layer, &clock));
        layers.insert(layer, owned.back().get());
        connectors.insert(layer, owned.back().get());
    }
    engine = std::make_unique<SyncEngine>(state.get(), connectors, settings);
}

int MemoryStand::totalWriteCalls() const
{
    int calls = 0;
    for (const MemoryConnector *layer : layers)
        calls += layer->writeCalls;
    return calls;
}

} // namespace tf::test
