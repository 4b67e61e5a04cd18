#pragma once

#include <QJsonObject>
#include <optional>

namespace tf::emu {

// The server's idea of "now", at the millisecond precision Twenty's JSON carries (§4.1). Tests move it with an
// offset (clock skew, long rate-limit windows) or freeze it (exact timestamps and cursors).
class ServerClock
{
public:
    qint64 nowMs() const;
    QString nowText() const; // 2026-03-02T09:15:27.118Z

    // {"offsetMs": N} shifts the clock from the machine's; {"freezeAt": "ISO"|null} stops it at an instant or
    // lets it run again. Returns false (and leaves the clock alone) when the body says something else.
    bool configure(const QJsonObject &body, QString *error);
    QJsonObject toJson() const;

private:
    qint64 m_offsetMs = 0;
    std::optional<qint64> m_frozenMs;
};

} // namespace tf::emu
