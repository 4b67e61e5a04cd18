#include "twenty/ratelimiter.h"

#include "twenty/apierror.h"
#include "twenty/apikeyring.h"
#include "twenty/serverclock.h"

#include <QtMath>

namespace tf::emu {

TokenBucket::TokenBucket(RateWindow window)
    : m_window(window)
    , m_tokens(window.limit)
{
}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastRefillMs >= 0 && nowMs > m_lastRefillMs) {
        const double perMs = double(m_window.limit) / double(m_window.windowMs);
        m_tokens = qMin(double(m_window.limit), m_tokens + double(nowMs - m_lastRefillMs) * perMs);
    }
    // A clock moved backwards (a test's offset) neither refills nor drains.
    m_lastRefillMs = nowMs;
}

qint64 TokenBucket::msUntilToken() const
{
    if (hasToken())
        return 0;
    const double perMs = double(m_window.limit) / double(m_window.windowMs);
    return qint64(qCeil((1.0 - m_tokens) / perMs));
}

void TokenBucket::fill(qint64 nowMs)
{
    m_tokens = m_window.limit;
    m_lastRefillMs = nowMs;
}

QJsonObject TokenBucket::toJson() const
{
    return QJsonObject{{QStringLiteral("limit"), m_window.limit},
                       {QStringLiteral("windowMs"), double(m_window.windowMs)},
                       {QStringLiteral("tokens"), m_tokens},
                       {QStringLiteral("msUntilToken"), double(msUntilToken())}};
}

RateLimiter::RateLimiter(RateWindow shortWindow, RateWindow longWindow, RateLimitStyle style, const ServerClock &clock)
    : m_short(shortWindow)
    , m_long(longWindow)
    , m_style(style)
    , m_clock(clock)
{
}

void RateLimiter::consumeOrThrow(const ApiKey &key)
{
    const qint64 now = m_clock.nowMs();
    m_short.refill(now);
    m_long.refill(now);
    if (m_short.hasToken() && m_long.hasToken()) {
        m_short.take();
        m_long.take();
        return;
    }
    // The bucket that keeps the caller waiting longest is the one to report.
    const TokenBucket &empty = m_short.msUntilToken() >= m_long.msUntilToken() ? m_short : m_long;
    throw rejection(empty, m_style, key.id, now);
}

ApiError RateLimiter::rejection(const TokenBucket &bucket, RateLimitStyle style, const QString &spenderId, qint64 nowMs)
{
    const RateWindow &window = bucket.window();
    if (style == RateLimitStyle::Legacy) {
        // throttler.service: new HttpException(message, 429), no headers (§5).
        return ApiError(429, QStringLiteral("HttpException"),
                        QStringLiteral("Limit reached (%1 tokens per %2 ms)").arg(window.limit).arg(window.windowMs));
    }
    const qint64 retryAfter = qMax<qint64>(1, (bucket.msUntilToken() + 999) / 1000);
    const double periodSeconds = double(window.windowMs) / 1000.0;
    ApiError error(429, QStringLiteral("RATE_LIMITED"),
                   QStringLiteral("Rate limit exceeded for apiKey: %1 requests per %2s.")
                       .arg(window.limit)
                       .arg(QString::number(periodSeconds)));
    error.withExtra({{QStringLiteral("limitKind"), QStringLiteral("speed")},
                     {QStringLiteral("exhaustedKind"), QStringLiteral("limit")},
                     {QStringLiteral("scope"),
                      QJsonObject{{QStringLiteral("spenderType"), QStringLiteral("apiKey")},
                                  {QStringLiteral("spenderId"), spenderId},
                                  {QStringLiteral("operationType"), QStringLiteral("API_REQUEST")}}},
                     {QStringLiteral("limit"), window.limit},
                     {QStringLiteral("remaining"), 0},
                     {QStringLiteral("periodCount"), periodSeconds},
                     {QStringLiteral("periodUnit"), QStringLiteral("second")},
                     {QStringLiteral("retryAfterSeconds"), double(retryAfter)}});
    error.withHeader("Retry-After", QByteArray::number(retryAfter))
        .withHeader("X-RateLimit-Limit", QByteArray::number(window.limit))
        .withHeader("X-RateLimit-Remaining", "0")
        .withHeader("X-RateLimit-Reset", QByteArray::number((nowMs + retryAfter * 1000) / 1000));
    return error;
}

void RateLimiter::reset()
{
    const qint64 now = m_clock.nowMs();
    m_short.fill(now);
    m_long.fill(now);
}

QJsonObject RateLimiter::toJson()
{
    const qint64 now = m_clock.nowMs();
    m_short.refill(now);
    m_long.refill(now);
    return QJsonObject{{QStringLiteral("style"), m_style == RateLimitStyle::New ? QStringLiteral("new")
                                                                                : QStringLiteral("legacy")},
                       {QStringLiteral("short"), m_short.toJson()},
                       {QStringLiteral("long"), m_long.toJson()}};
}

} // namespace tf::emu
