#include "app/throughputchart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QValueAxis>

namespace tf {

ThroughputChart::ThroughputChart(QWidget *parent)
    : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->setTitle(tr("Contacts written per cycle"));
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setAnimationOptions(QChart::NoAnimation);
    rebuild();
}

void ThroughputChart::addCycle(const CycleReport &report)
{
    if (report.dryRun)
        return;
    m_cycles.append(Cycle{++m_cyclesSeen, report.written});
    while (m_cycles.size() > kCyclesShown)
        m_cycles.removeFirst();
    rebuild();
}

void ThroughputChart::rebuild()
{
    QChart *chart = this->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis); // gives the axis back to us
        delete axis;
    }

    auto *series = new QBarSeries;
    QStringList categories;
    for (const Cycle &cycle : std::as_const(m_cycles))
        categories << QStringLiteral("#%1").arg(cycle.number);
    int highest = 0;
    for (Layer layer : allLayers()) {
        auto *set = new QBarSet(layerName(layer));
        for (const Cycle &cycle : std::as_const(m_cycles)) {
            *set << cycle.written.value(layer);
            highest = std::max(highest, cycle.written.value(layer));
        }
        series->append(set);
    }
    chart->addSeries(series);

    auto *cyclesAxis = new QBarCategoryAxis;
    cyclesAxis->append(categories.isEmpty() ? QStringList{tr("no cycle yet")} : categories);
    cyclesAxis->setTitleText(tr("cycle"));
    chart->addAxis(cyclesAxis, Qt::AlignBottom);
    series->attachAxis(cyclesAxis);

    // Whole contacts only: a step of at least one, about five steps up to the highest bar.
    const int step = std::max(1, (highest + 4) / 5);
    const int top = std::max(step, (highest + step - 1) / step * step);
    auto *countAxis = new QValueAxis;
    countAxis->setRange(0, top);
    countAxis->setTickType(QValueAxis::TicksDynamic);
    countAxis->setTickAnchor(0);
    countAxis->setTickInterval(step);
    countAxis->setLabelFormat(QStringLiteral("%d"));
    countAxis->setTitleText(tr("contacts"));
    chart->addAxis(countAxis, Qt::AlignLeft);
    series->attachAxis(countAxis);
}

} // namespace tf
