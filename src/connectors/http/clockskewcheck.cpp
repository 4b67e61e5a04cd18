#include "connectors/http/clockskewcheck.h"

namespace tf {

HealthCheck ClockSkewCheck::of(std::optional<qint64> skewMs, const QString &stakes)
{
    HealthCheck check{QStringLiteral("clock skew"), true, false, QString(), QString()};
    if (!skewMs) {
        check.warning = true;
        check.message = QStringLiteral("the server sent no Date header; the skew is unknown");
        return check;
    }
    check.message = QStringLiteral("the server's clock is %1 s %2 this computer's (Date header, 1 s resolution)")
                        .arg(double(qAbs(*skewMs)) / 1000.0, 0, 'f', 1)
                        .arg(*skewMs >= 0 ? QStringLiteral("ahead of") : QStringLiteral("behind"));
    if (qAbs(*skewMs) > kWarningMs) {
        check.ok = qAbs(*skewMs) <= kFailureMs;
        check.warning = check.ok;
        check.hint = QStringLiteral("synchronise this computer's clock (NTP): %1").arg(stakes);
    }
    return check;
}

} // namespace tf
