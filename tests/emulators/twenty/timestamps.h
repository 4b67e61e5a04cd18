#pragma once

#include <QString>
#include <optional>

namespace tf::emu {

// ISO-8601 instants as Twenty reads and writes them: any offset in, always UTC with milliseconds out
// ("2026-03-02T09:15:27.118Z", §4.1), which also makes stored timestamps sort as text in time order.
class Timestamps
{
public:
    // Milliseconds since the epoch of "2026-03-02T09:15:27.118Z", "2026-03-02 10:15:27+01:00", "2026-03-02"
    // (midnight UTC); nullopt for anything else, including impossible dates and times.
    static std::optional<qint64> parse(const QString &text);
    static QString format(qint64 msSinceEpoch);
    static bool isDate(const QString &text); // YYYY-MM-DD, a real calendar day
};

} // namespace tf::emu
