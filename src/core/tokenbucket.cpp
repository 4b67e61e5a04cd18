#include "core/tokenbucket.h"

#include <QDateTime>
#include <algorithm>
#include <cmath>

namespace tf {

TokenBucket::TokenBucket(double capacity, qint64 windowMs, Clock clock)
    : m_capacity(capacity)
    , m_perMs(capacity / double(std::max<qint64>(windowMs, 1)))
    , m_tokens(capacity)
    , m_clock(clock ? std::move(clock) : [] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_last = m_clock();
}

void TokenBucket::refill()
{
    const qint64 now = m_clock();
    m_tokens = std::min(m_capacity, m_tokens + double(now - m_last) * m_perMs);
    m_last = now;
}

qint64 TokenBucket::tryAcquire()
{
    refill();
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return 0;
    }
    return qint64(std::ceil((1.0 - m_tokens) / m_perMs));
}

qint64 TokenBucket::waitFor(double count)
{
    refill();
    const double wanted = std::min(count, m_capacity);
    return m_tokens >= wanted ? 0 : qint64(std::ceil((wanted - m_tokens) / m_perMs));
}

void TokenBucket::drain()
{
    refill();
    m_tokens = 0;
}

double TokenBucket::available()
{
    refill();
    return m_tokens;
}

} // namespace tf
