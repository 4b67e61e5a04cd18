#include "bigquery/cellencoder.h"

#include "bigquery/scalarcodec.h"
#include "bigquery/valuecodec.h"
#include "common/httpmessage.h"

#include <QJsonArray>

namespace tf::emu {

namespace {

TimestampFormat formatFrom(const QString &outputFormat, bool useInt64)
{
    const QString format = outputFormat.toUpper();
    if (format == QLatin1String("ISO8601_STRING"))
        return TimestampFormat::Iso8601;
    if (format == QLatin1String("INT64"))
        return TimestampFormat::Int64Micros;
    if (format == QLatin1String("FLOAT64"))
        return TimestampFormat::FloatSeconds;
    return useInt64 ? TimestampFormat::Int64Micros : TimestampFormat::FloatSeconds;
}

} // namespace

CellEncoder::CellEncoder(TimestampFormat format)
    : m_format(format)
{
}

CellEncoder CellEncoder::fromBody(const QJsonObject &formatOptions)
{
    const QJsonValue useInt64 = formatOptions.value(QStringLiteral("useInt64Timestamp"));
    const bool flag = useInt64.isBool() ? useInt64.toBool() : useInt64.toString() == QLatin1String("true");
    return CellEncoder(formatFrom(formatOptions.value(QStringLiteral("timestampOutputFormat")).toString(), flag));
}

CellEncoder CellEncoder::fromQuery(const HttpRequest &request)
{
    const bool flag = request.queryValue(QStringLiteral("formatOptions.useInt64Timestamp")).toLower() == QLatin1String("true");
    return CellEncoder(formatFrom(request.queryValue(QStringLiteral("formatOptions.timestampOutputFormat")), flag));
}

QJsonValue CellEncoder::cell(const QVariant &storage, const SqlType &type) const
{
    if (type.isArray()) {
        QJsonArray cells;
        for (const QJsonValue &element : ValueCodec::composite(storage))
            cells.append(QJsonObject{{QStringLiteral("v"), cell(ValueCodec::fromNested(element, type.element()), type.element())}});
        return cells;
    }
    if (!storage.isValid() || storage.isNull())
        return QJsonValue::Null;
    if (type.isStruct()) {
        const QJsonArray members = ValueCodec::composite(storage);
        QJsonArray cells;
        for (qsizetype i = 0; i < type.members().size(); ++i) {
            const SqlType &memberType = type.members().at(i).type;
            cells.append(QJsonObject{{QStringLiteral("v"), cell(ValueCodec::fromNested(members.at(i), memberType), memberType)}});
        }
        return QJsonObject{{QStringLiteral("f"), cells}};
    }
    if (type.kind() == TypeKind::Timestamp) {
        const qint64 micros = storage.toLongLong();
        switch (m_format) {
        case TimestampFormat::Int64Micros:
            return QString::number(micros);
        case TimestampFormat::Iso8601:
            return ScalarCodec::timestampIso(micros, 12); // DISC pattern YYYY-MM-DDTHH:MM:SS.FFFFFFFFFFFFZ
        case TimestampFormat::FloatSeconds:
            return ScalarCodec::javaDouble(double(micros) / 1e6);
        }
    }
    return ScalarCodec::cellText(type.kind(), storage);
}

QJsonObject CellEncoder::row(const QVariantList &values, const QList<FieldSchema> &schema) const
{
    QJsonArray cells;
    for (qsizetype i = 0; i < schema.size(); ++i)
        cells.append(QJsonObject{{QStringLiteral("v"), cell(values.value(i), schema.at(i).valueType())}});
    return QJsonObject{{QStringLiteral("f"), cells}};
}

} // namespace tf::emu
