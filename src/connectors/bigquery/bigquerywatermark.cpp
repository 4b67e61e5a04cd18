#include "connectors/bigquery/bigquerywatermark.h"

#include "core/connector.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

namespace {

const QString kUpdatedAt = QStringLiteral("updated_at_us");
const QString kContactId = QStringLiteral("contact_id");

} // namespace

BigQueryWatermark BigQueryWatermark::after(std::optional<qint64> updatedAtMicros, const QString &contactId)
{
    BigQueryWatermark mark;
    mark.atStart = false;
    mark.updatedAtMicros = updatedAtMicros;
    mark.contactId = contactId;
    return mark;
}

QString BigQueryWatermark::encode() const
{
    if (atStart)
        return QString();
    const QJsonObject object{{kUpdatedAt, updatedAtMicros ? QJsonValue(QString::number(*updatedAtMicros)) : QJsonValue()},
                             {kContactId, contactId}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

BigQueryWatermark BigQueryWatermark::decode(const QString &text)
{
    if (text.isEmpty())
        return BigQueryWatermark();
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    const QJsonValue stamp = object.value(kUpdatedAt);
    bool ok = stamp.isNull();
    qint64 micros = 0;
    if (stamp.isString())
        micros = stamp.toString().toLongLong(&ok);
    if (!ok || !object.value(kContactId).isString()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("watermark '%1' is not one this connector wrote (expected {\"%2\": …, \"%3\": …})")
                                 .arg(text.left(200), kUpdatedAt, kContactId));
    }
    return after(stamp.isNull() ? std::nullopt : std::optional<qint64>(micros), object.value(kContactId).toString());
}

} // namespace tf
