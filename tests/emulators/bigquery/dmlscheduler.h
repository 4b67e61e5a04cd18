#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace tf::emu {

// BigQuery's mutating-DML queue per table (§2.4): at most 2 statements run at once, at most 20 more wait, the next
// one fails. The emulator is single-threaded, so "running" is modelled in time: each statement occupies the table for
// its duration (--dml-duration-ms), first come first served over two slots.
class DmlScheduler
{
public:
    static constexpr int kRunning = 2;
    static constexpr int kQueued = 20;

    // When a new statement on `table` submitted now would finish, or nullopt when the queue is full.
    std::optional<qint64> schedule(const QString &table, qint64 nowMs, qint64 durationMs);
    int outstanding(const QString &table, qint64 nowMs);
    void clear() { m_finishes.clear(); }

private:
    QHash<QString, QList<qint64>> m_finishes; // finish times of the outstanding statements, in submission order
};

} // namespace tf::emu
