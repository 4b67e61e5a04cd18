#pragma once

#include "twenty/emulatorsettings.h"

#include <QJsonObject>

namespace tf::emu {

class ApiError;
class ServerClock;
struct ApiKey;

// A token bucket that starts full and refills continuously at limit/window per millisecond (§6, throttler.service).
class TokenBucket
{
public:
    explicit TokenBucket(RateWindow window);

    void refill(qint64 nowMs);
    bool hasToken() const { return m_tokens >= 1.0; }
    void take() { m_tokens -= 1.0; }
    qint64 msUntilToken() const; // 0 when a token is there
    void fill(qint64 nowMs);

    const RateWindow &window() const { return m_window; }
    QJsonObject toJson() const;

private:
    RateWindow m_window;
    double m_tokens;
    qint64 m_lastRefillMs = -1;
};

// The workspace's short and long buckets, shared by every API key (§6). A request that finds either empty costs
// nothing and is answered 429 in the configured style (§5).
class RateLimiter
{
public:
    RateLimiter(RateWindow shortWindow, RateWindow longWindow, RateLimitStyle style, const ServerClock &clock);

    void consumeOrThrow(const ApiKey &key); // throws ApiError 429
    void reset();                           // both buckets full again
    QJsonObject toJson();                   // current levels, for /__emulator/rate-limit

    // The 429 Twenty sends when `bucket` is empty, in the configured style.
    static ApiError rejection(const TokenBucket &bucket, RateLimitStyle style, const QString &spenderId,
                                    qint64 nowMs);

private:
    TokenBucket m_short;
    TokenBucket m_long;
    RateLimitStyle m_style;
    const ServerClock &m_clock;
};

} // namespace tf::emu
