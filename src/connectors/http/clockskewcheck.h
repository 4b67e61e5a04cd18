#pragma once

#include "core/connector.h"

#include <optional>

namespace tf {

// The safety check's "clock skew" line for a layer reached over HTTP: this computer's clock against the Date
// header of the server's last answer (whole seconds, so differences under a second or two mean nothing). `stakes`
// says what a wrong clock breaks for this layer, for the hint.
class ClockSkewCheck
{
public:
    static constexpr qint64 kWarningMs = 30 * 1000;
    static constexpr qint64 kFailureMs = 5 * 60 * 1000; // beyond an OAuth token's refresh margin

    static HealthCheck of(std::optional<qint64> skewMs, const QString &stakes);
};

} // namespace tf
