#include "core/retrypolicy.h"

#include <QRandomGenerator>
#include <algorithm>

namespace tf {

RetryPolicy::RetryPolicy()
    : RetryPolicy(Settings{})
{
}

RetryPolicy::RetryPolicy(Settings settings, std::function<double()> random)
    : m_settings(settings)
    , m_random(random ? std::move(random) : [] { return QRandomGenerator::global()->generateDouble(); })
{
}

qint64 RetryPolicy::delayMs(int attemptsMade, qint64 retryAfterMs) const
{
    const int exponent = std::clamp(attemptsMade - 1, 0, 30);
    const qint64 ceiling = std::min(m_settings.maxDelayMs, m_settings.baseDelayMs << exponent);
    const double factor = 1.0 - m_settings.jitter * m_random();
    const qint64 backoff = qint64(double(ceiling) * factor);
    return std::max(backoff, retryAfterMs);
}

} // namespace tf
