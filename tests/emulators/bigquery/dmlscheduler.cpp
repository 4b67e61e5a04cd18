#include "bigquery/dmlscheduler.h"

#include <algorithm>

namespace tf::emu {

int DmlScheduler::outstanding(const QString &table, qint64 nowMs)
{
    QList<qint64> &finishes = m_finishes[table];
    finishes.erase(std::remove_if(finishes.begin(), finishes.end(), [nowMs](qint64 finish) { return finish <= nowMs; }), finishes.end());
    return int(finishes.size());
}

std::optional<qint64> DmlScheduler::schedule(const QString &table, qint64 nowMs, qint64 durationMs)
{
    const int count = outstanding(table, nowMs);
    if (count >= kRunning + kQueued)
        return std::nullopt;
    QList<qint64> &finishes = m_finishes[table];
    // With two slots served in order, a statement starts when the one two places ahead of it finishes.
    const qint64 start = count < kRunning ? nowMs : std::max(nowMs, finishes.at(count - kRunning));
    const qint64 finish = start + durationMs;
    if (finish > nowMs)
        finishes.append(finish);
    return finish;
}

} // namespace tf::emu
