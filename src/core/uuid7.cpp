#include "core/uuid7.h"

#include <QRandomGenerator>
#include <QUuid>
#include <array>

namespace tf {

QString createUuid7(const QDateTime &now, QRandomGenerator *random)
{
    std::array<quint8, 16> bytes{};
    const quint64 ms = quint64(now.toMSecsSinceEpoch());
    for (int i = 0; i < 6; ++i)
        bytes[size_t(i)] = quint8(ms >> (8 * (5 - i)));
    if (!random)
        random = QRandomGenerator::system();
    for (size_t i = 6; i < bytes.size(); ++i)
        bytes[i] = quint8(random->bounded(256));
    bytes[6] = quint8(0x70 | (bytes[6] & 0x0F)); // version 7
    bytes[8] = quint8(0x80 | (bytes[8] & 0x3F)); // RFC 4122 variant
    const QUuid uuid = QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(bytes.data()), 16));
    return uuid.toString(QUuid::WithoutBraces);
}

} // namespace tf
