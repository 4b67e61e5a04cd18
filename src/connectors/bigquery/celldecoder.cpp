#include "connectors/bigquery/celldecoder.h"

#include "core/connector.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>
#include <limits>

namespace tf {

namespace {

ConnectorError cellError(const QString &path, const QString &what)
{
    return ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                          QStringLiteral("column '%1': %2").arg(path, what));
}

QString shapeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean (%1)").arg(value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    case QJsonValue::Double:
        return QStringLiteral("a number (%1)").arg(value.toDouble());
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + (text.size() > 80 ? text.left(80) + QStringLiteral("…") : text) + QLatin1Char('\'');
}

qint64 floorDiv(qint64 value, qint64 divisor)
{
    const qint64 quotient = value / divisor;
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

// Float seconds such as "1.561017697269367E9" shifted to microseconds on the decimal digits themselves.
std::optional<qint64> decimalSecondsToMicros(const QRegularExpressionMatch &match)
{
    const bool negative = match.captured(1) == QLatin1String("-");
    const QString fraction = match.captured(3);
    QString digits = match.captured(2) + fraction;
    const int exponent = match.captured(4).isEmpty() ? 0 : match.captured(4).toInt();
    const qsizetype shift = qsizetype(exponent) - fraction.size() + 6;
    if (shift > 30 || shift < -60)
        return std::nullopt;
    bool roundUp = false;
    if (shift >= 0) {
        digits += QString(shift, QLatin1Char('0'));
    } else {
        const qsizetype keep = digits.size() + shift;
        roundUp = keep >= 0 && keep < digits.size() && digits.at(keep) >= QLatin1Char('5');
        digits = keep > 0 ? digits.left(keep) : QStringLiteral("0");
    }
    while (digits.size() > 1 && digits.startsWith(QLatin1Char('0')))
        digits.remove(0, 1);
    bool ok = false;
    qint64 micros = digits.toLongLong(&ok);
    if (!ok || (roundUp && micros == std::numeric_limits<qint64>::max()))
        return std::nullopt;
    if (roundUp)
        ++micros;
    return negative ? -micros : micros;
}

std::optional<qint64> isoToMicros(const QRegularExpressionMatch &match)
{
    const QDate date = QDate::fromString(match.captured(1), Qt::ISODate);
    const QTime time = QTime::fromString(match.captured(2), QStringLiteral("HH:mm:ss"));
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    qint64 micros = QDateTime(date, time, Qt::UTC).toMSecsSinceEpoch() * 1000;
    micros += match.captured(3).leftJustified(6, QLatin1Char('0')).left(6).toLongLong();
    const QString zone = match.captured(4);
    if (!zone.isEmpty() && zone != QLatin1String("Z") && zone != QLatin1String("UTC")) {
        const QString digits = QString(zone).remove(QLatin1Char(':'));
        const int hours = digits.mid(1, 2).toInt();
        const int minutes = digits.size() > 3 ? digits.mid(3, 2).toInt() : 0;
        const qint64 offset = (qint64(hours) * 60 + minutes) * 60 * 1000000;
        micros += zone.startsWith(QLatin1Char('-')) ? offset : -offset;
    }
    return micros;
}

QTime parseTime(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return {};
    return QTime(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt(),
                 match.captured(4).leftJustified(3, QLatin1Char('0')).left(3).toInt());
}

} // namespace

std::optional<qint64> CellDecoder::timestampMicros(const QString &input)
{
    const QString text = input.trimmed();
    static const QRegularExpression integer(QStringLiteral("^-?\\d{1,19}$"));
    static const QRegularExpression decimal(QStringLiteral("^([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d{1,3}))?$"));
    static const QRegularExpression iso(QStringLiteral(
        "^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,12}))?\\s*(Z|UTC|[+-]\\d{2}(?::?\\d{2})?)?$"));
    if (integer.match(text).hasMatch()) {
        bool ok = false;
        const qint64 micros = text.toLongLong(&ok);
        return ok ? std::optional<qint64>(micros) : std::nullopt;
    }
    if (const QRegularExpressionMatch match = decimal.match(text);
        match.hasMatch() && !(match.captured(2) + match.captured(3)).isEmpty())
        return decimalSecondsToMicros(match);
    if (const QRegularExpressionMatch match = iso.match(text); match.hasMatch())
        return isoToMicros(match);
    return std::nullopt;
}

std::optional<qint64> CellDecoder::timestampCellMicros(const SchemaField &field, const QJsonValue &cell)
{
    const QJsonValue value = cell.toObject().value(QStringLiteral("v"));
    if (field.type != QLatin1String("TIMESTAMP") || field.repeated())
        throw cellError(field.name, QStringLiteral("is %1, expected TIMESTAMP").arg(field.describe()));
    if (value.isNull())
        return std::nullopt;
    if (!value.isString())
        throw cellError(field.name, QStringLiteral("TIMESTAMP cell is %1, expected a string").arg(shapeOf(value)));
    const std::optional<qint64> micros = timestampMicros(value.toString());
    if (!micros)
        throw cellError(field.name, QStringLiteral("%1 is not a TIMESTAMP").arg(quoted(value.toString())));
    return micros;
}

QVariant CellDecoder::decode(const SchemaField &field, const QJsonValue &cell)
{
    if (!cell.isObject() || !cell.toObject().contains(QStringLiteral("v")))
        throw cellError(field.name, QStringLiteral("cell is %1, expected an object {\"v\": …}").arg(shapeOf(cell)));
    return decodeValue(field, cell.toObject().value(QStringLiteral("v")), field.name);
}

QVariantMap CellDecoder::decodeRow(const QList<SchemaField> &schema, const QJsonValue &row)
{
    const QJsonValue cells = row.toObject().value(QStringLiteral("f"));
    if (!cells.isArray()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                             QStringLiteral("row is %1, expected an object {\"f\": [cells]}").arg(shapeOf(row)));
    }
    if (cells.toArray().size() != schema.size()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                             QStringLiteral("row has %1 cells, the schema %2 columns")
                                 .arg(cells.toArray().size())
                                 .arg(schema.size()));
    }
    QVariantMap values;
    for (qsizetype i = 0; i < schema.size(); ++i)
        values.insert(schema.at(i).name, decode(schema.at(i), cells.toArray().at(i)));
    return values;
}

QVariant CellDecoder::decodeValue(const SchemaField &field, const QJsonValue &value, const QString &path)
{
    if (field.repeated()) {
        if (value.isNull())
            return QVariantList(); // a NULL array (§1.3)
        if (!value.isArray())
            throw cellError(path, QStringLiteral("REPEATED cell is %1, expected a list").arg(shapeOf(value)));
        SchemaField element = field;
        element.mode = QStringLiteral("NULLABLE");
        QVariantList items;
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemPath = QStringLiteral("%1[%2]").arg(path).arg(i);
            if (!array.at(i).isObject() || !array.at(i).toObject().contains(QStringLiteral("v")))
                throw cellError(itemPath, QStringLiteral("element is %1, expected {\"v\": …}").arg(shapeOf(array.at(i))));
            items.append(decodeValue(element, array.at(i).toObject().value(QStringLiteral("v")), itemPath));
        }
        return items;
    }
    if (value.isNull())
        return {};
    if (field.type == QLatin1String("STRUCT")) {
        const QJsonValue cells = value.toObject().value(QStringLiteral("f"));
        if (!cells.isArray() || cells.toArray().size() != field.fields.size()) {
            throw cellError(path, QStringLiteral("STRUCT cell is %1, expected {\"f\": [%2 cells]}")
                                      .arg(shapeOf(value))
                                      .arg(field.fields.size()));
        }
        QVariantMap members;
        for (qsizetype i = 0; i < field.fields.size(); ++i) {
            const SchemaField &member = field.fields.at(i);
            const QJsonValue memberCell = cells.toArray().at(i);
            const QString memberPath = path + QLatin1Char('.') + member.name;
            if (!memberCell.isObject() || !memberCell.toObject().contains(QStringLiteral("v")))
                throw cellError(memberPath, QStringLiteral("cell is %1, expected {\"v\": …}").arg(shapeOf(memberCell)));
            members.insert(member.name, decodeValue(member, memberCell.toObject().value(QStringLiteral("v")), memberPath));
        }
        return members;
    }
    if (!value.isString())
        throw cellError(path, QStringLiteral("%1 cell is %2, expected a string").arg(field.type, shapeOf(value)));
    return decodeScalar(field, value.toString(), path);
}

QVariant CellDecoder::decodeScalar(const SchemaField &field, const QString &text, const QString &path)
{
    const QString &type = field.type;
    const auto invalid = [&]() { return cellError(path, QStringLiteral("%1 is not a valid %2").arg(quoted(text), type)); };
    if (type == QLatin1String("STRING") || type == QLatin1String("GEOGRAPHY") || type == QLatin1String("NUMERIC")
        || type == QLatin1String("BIGNUMERIC") || type == QLatin1String("INTERVAL") || type == QLatin1String("RANGE"))
        return text;
    if (type == QLatin1String("INT64")) {
        bool ok = false;
        const qint64 number = text.toLongLong(&ok);
        if (!ok)
            throw invalid();
        return number;
    }
    if (type == QLatin1String("FLOAT64")) {
        if (text == QLatin1String("NaN"))
            return std::numeric_limits<double>::quiet_NaN();
        if (text == QLatin1String("Infinity"))
            return std::numeric_limits<double>::infinity();
        if (text == QLatin1String("-Infinity"))
            return -std::numeric_limits<double>::infinity();
        bool ok = false;
        const double number = text.toDouble(&ok);
        if (!ok || !std::isfinite(number))
            throw invalid();
        return number;
    }
    if (type == QLatin1String("BOOL")) {
        const QString lower = text.toLower();
        if (lower == QLatin1String("true") || lower == QLatin1String("t") || lower == QLatin1String("1"))
            return true;
        if (lower == QLatin1String("false") || lower == QLatin1String("f") || lower == QLatin1String("0"))
            return false;
        throw invalid();
    }
    if (type == QLatin1String("BYTES")) {
        const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            throw invalid();
        return *decoded;
    }
    if (type == QLatin1String("TIMESTAMP")) {
        const std::optional<qint64> micros = timestampMicros(text);
        if (!micros)
            throw invalid();
        return QDateTime::fromMSecsSinceEpoch(floorDiv(*micros, 1000), Qt::UTC);
    }
    if (type == QLatin1String("DATE")) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            throw invalid();
        return date;
    }
    if (type == QLatin1String("TIME")) {
        const QTime time = parseTime(text);
        if (!time.isValid())
            throw invalid();
        return time;
    }
    if (type == QLatin1String("DATETIME")) {
        const qsizetype separator = text.indexOf(QRegularExpression(QStringLiteral("[T ]")));
        const QDate date = QDate::fromString(text.left(separator), Qt::ISODate);
        const QTime time = separator > 0 ? parseTime(text.mid(separator + 1)) : QTime();
        if (!date.isValid() || !time.isValid())
            throw invalid();
        return QDateTime(date, time, Qt::UTC);
    }
    if (type == QLatin1String("JSON")) {
        // JSON is text inside the string cell (§1.3); wrapping lets Qt's parser take scalars too.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
        if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
            throw cellError(path, QStringLiteral("JSON cell %1 does not parse: %2")
                                      .arg(quoted(text),
                                           error.error != QJsonParseError::NoError ? error.errorString()
                                                                                   : QStringLiteral("more than one value")));
        }
        return QVariant::fromValue(doc.array().first());
    }
    throw cellError(path, QStringLiteral("type %1 is not one this client decodes").arg(type));
}

} // namespace tf
