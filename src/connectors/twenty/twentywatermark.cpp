#include "connectors/twenty/twentywatermark.h"

#include "core/connector.h"
#include "core/contactnormalizer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <limits>

namespace tf {

namespace {

constexpr int kVersion = 1;

qint64 newest(const QHash<QString, qint64> &seen)
{
    qint64 max = std::numeric_limits<qint64>::min();
    for (const qint64 ms : seen)
        max = std::max(max, ms);
    return max;
}

QJsonObject streamToJson(const TwentyStream &stream)
{
    QJsonObject object;
    if (stream.from.isValid())
        object.insert(QStringLiteral("from"), ContactNormalizer::timestampText(stream.from));
    if (!stream.cursor.isEmpty())
        object.insert(QStringLiteral("cursor"), stream.cursor);
    QJsonObject seen;
    for (auto it = stream.seen.cbegin(); it != stream.seen.cend(); ++it)
        seen.insert(it.key(), it.value());
    if (!seen.isEmpty())
        object.insert(QStringLiteral("seen"), seen);
    return object;
}

bool streamFromJson(const QJsonValue &value, TwentyStream *stream)
{
    if (value.isUndefined())
        return true;
    if (!value.isObject())
        return false;
    const QJsonObject object = value.toObject();
    const QJsonValue from = object.value(QStringLiteral("from"));
    if (!from.isUndefined()) {
        stream->from = ContactNormalizer::parseTimestamp(from.toString());
        if (!stream->from.isValid())
            return false;
    }
    stream->cursor = object.value(QStringLiteral("cursor")).toString();
    const QJsonObject seen = object.value(QStringLiteral("seen")).toObject();
    for (auto it = seen.constBegin(); it != seen.constEnd(); ++it) {
        if (!it.value().isDouble())
            return false;
        stream->seen.insert(it.key(), qint64(it.value().toDouble()));
    }
    return true;
}

} // namespace

bool TwentyStream::reportedAlready(const QString &personId, const QDateTime &stamp) const
{
    const auto it = seen.constFind(personId);
    return it != seen.constEnd() && *it == stamp.toMSecsSinceEpoch();
}

void TwentyStream::report(const QString &personId, const QDateTime &stamp, qint64 overlapMs)
{
    seen.insert(personId, stamp.toMSecsSinceEpoch());
    // Rows stamped before the window are behind the cursor now and before the next scan's bound.
    const qint64 keepFrom = newest(seen) - overlapMs;
    seen.removeIf([keepFrom](const QHash<QString, qint64>::iterator it) { return it.value() < keepFrom; });
}

void TwentyStream::finishScan(qint64 overlapMs)
{
    cursor.clear();
    if (seen.isEmpty())
        return;
    const QDateTime next = QDateTime::fromMSecsSinceEpoch(newest(seen) - overlapMs, Qt::UTC);
    if (!from.isValid() || next > from)
        from = next;
}

QString TwentyWatermark::encode() const
{
    const QJsonObject object{{QStringLiteral("v"), kVersion},
                             {QStringLiteral("updated"), streamToJson(updated)},
                             {QStringLiteral("deleted"), streamToJson(deleted)}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

TwentyWatermark TwentyWatermark::decode(const QString &text)
{
    TwentyWatermark watermark;
    if (text.isEmpty())
        return watermark;
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    if (object.value(QStringLiteral("v")).toInt() != kVersion
        || !streamFromJson(object.value(QStringLiteral("updated")), &watermark.updated)
        || !streamFromJson(object.value(QStringLiteral("deleted")), &watermark.deleted)) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Configuration,
                             QStringLiteral("watermark '%1' is not one the crm connector wrote (JSON with v=%2); "
                                            "reset it to read everything again")
                                 .arg(text.left(200))
                                 .arg(kVersion));
    }
    return watermark;
}

} // namespace tf
