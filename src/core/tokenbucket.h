#pragma once

#include <QtGlobal>
#include <functional>

namespace tf {

// A token bucket with continuous refill, the algorithm Twenty itself limits with (twenty-rest.md §6: tokens refill
// at maxTokens/window per ms and the bucket starts full). The client keeps one per workspace so it stays under the
// server's limit instead of bouncing off it. The clock is injected (milliseconds) so tests need not sleep.
class TokenBucket
{
public:
    using Clock = std::function<qint64()>;

    TokenBucket(double capacity, qint64 windowMs, Clock clock = {});

    // Takes a token if one is there and returns 0; otherwise returns how long to wait before asking again.
    qint64 tryAcquire();
    // How long until `count` tokens are there (0: now); never longer than a full refill.
    qint64 waitFor(double count);
    // After a 429: the server says the bucket is empty, whatever we counted.
    void drain();
    double available();

private:
    void refill();

    double m_capacity;
    double m_perMs;
    double m_tokens;
    qint64 m_last;
    Clock m_clock;
};

} // namespace tf
