#pragma once

#include "core/cyclereport.h"

#include <QChartView>

namespace tf {

// Contacts written per cycle, one bar per layer, for the last cycles: how much each layer had to absorb.
class ThroughputChart : public QChartView
{
    Q_OBJECT
public:
    explicit ThroughputChart(QWidget *parent = nullptr);

    void addCycle(const CycleReport &report);
    int cycleCount() const { return int(m_cycles.size()); }

    static constexpr int kCyclesShown = 20;

private:
    struct Cycle {
        int number = 0;
        QMap<Layer, int> written;
    };

    void rebuild();

    QList<Cycle> m_cycles;
    int m_cyclesSeen = 0;
};

} // namespace tf
