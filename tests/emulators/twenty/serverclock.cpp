#include "twenty/serverclock.h"

#include "twenty/timestamps.h"

#include <QDateTime>

namespace tf::emu {

qint64 ServerClock::nowMs() const
{
    return m_frozenMs ? *m_frozenMs : QDateTime::currentMSecsSinceEpoch() + m_offsetMs;
}

QString ServerClock::nowText() const
{
    return Timestamps::format(nowMs());
}

bool ServerClock::configure(const QJsonObject &body, QString *error)
{
    const QJsonValue offset = body.value(QStringLiteral("offsetMs"));
    const QJsonValue freeze = body.value(QStringLiteral("freezeAt"));
    if (!offset.isUndefined() && !offset.isDouble()) {
        *error = QStringLiteral("offsetMs must be a number of milliseconds");
        return false;
    }
    std::optional<qint64> frozen = m_frozenMs;
    if (freeze.isNull()) {
        frozen.reset();
    } else if (freeze.isString()) {
        frozen = Timestamps::parse(freeze.toString());
        if (!frozen) {
            *error = QStringLiteral("freezeAt '%1' is not an ISO-8601 instant").arg(freeze.toString());
            return false;
        }
    } else if (!freeze.isUndefined()) {
        *error = QStringLiteral("freezeAt must be an ISO-8601 instant or null");
        return false;
    }
    if (offset.isDouble())
        m_offsetMs = qint64(offset.toDouble());
    m_frozenMs = frozen;
    return true;
}

QJsonObject ServerClock::toJson() const
{
    return QJsonObject{{QStringLiteral("offsetMs"), double(m_offsetMs)},
                       {QStringLiteral("frozen"), m_frozenMs.has_value()},
                       {QStringLiteral("now"), nowText()}};
}

} // namespace tf::emu
