#pragma once

#include <QDateTime>
#include <QString>

class QRandomGenerator;

namespace tf {

// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Time-ordered, so ids minted by different
// layers sort by creation; the contract mints contact_id this way.
// `random` defaults to the system's; a seeded one makes generated data reproducible.
QString createUuid7(const QDateTime &now = QDateTime::currentDateTimeUtc(), QRandomGenerator *random = nullptr);

} // namespace tf
