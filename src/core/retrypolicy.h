#pragma once

#include <QtGlobal>
#include <functional>

namespace tf {

// Truncated exponential backoff with jitter (bigquery-rest.md §3.3: "delays 1 s, 2 s, 4 s … capped at 32–64 s plus
// jitter"; twenty-rest.md §5: back off on 429 and honour Retry-After). The random source is injected so tests can
// check the schedule without sleeping.
class RetryPolicy
{
public:
    struct Settings {
        int maxAttempts = 6;        // first try included
        qint64 baseDelayMs = 1000;
        qint64 maxDelayMs = 32000;
        double jitter = 0.5;        // the delay is drawn from [d·(1−jitter), d]
    };

    RetryPolicy();
    explicit RetryPolicy(Settings settings, std::function<double()> random = {});

    const Settings &settings() const { return m_settings; }
    bool shouldRetry(int attemptsMade) const { return attemptsMade < m_settings.maxAttempts; }
    // Delay before attempt number `attemptsMade + 1`; a server's Retry-After (ms, or -1) is a floor, not a hint.
    qint64 delayMs(int attemptsMade, qint64 retryAfterMs = -1) const;

private:
    Settings m_settings;
    std::function<double()> m_random;
};

} // namespace tf
