#include "bigquery/valuecaster.h"

#include "bigquery/scalarcodec.h"
#include "bigquery/valuecodec.h"

#include <QJsonArray>
#include <cmath>

namespace tf::emu {

namespace {

bool isNull(const QVariant &value)
{
    return !value.isValid() || value.isNull();
}

QString badValue(TypeKind to, const QString &text)
{
    switch (to) {
    case TypeKind::Int64:
        return QStringLiteral("Bad int64 value: %1").arg(text);
    case TypeKind::Float64:
        return QStringLiteral("Bad double value: %1").arg(text);
    case TypeKind::Bool:
        return QStringLiteral("Bad bool value: %1").arg(text);
    case TypeKind::Numeric:
    case TypeKind::BigNumeric:
        return QStringLiteral("Invalid %1 value: %2").arg(SqlType::kindName(to), text);
    case TypeKind::Date:
        return QStringLiteral("Invalid date: '%1'").arg(text);
    case TypeKind::Timestamp:
        return QStringLiteral("Invalid timestamp: '%1'").arg(text);
    case TypeKind::Datetime:
        return QStringLiteral("Invalid datetime string \"%1\"").arg(text);
    case TypeKind::Time:
        return QStringLiteral("Invalid time string \"%1\"").arg(text);
    default:
        return QStringLiteral("Invalid %1 value: %2").arg(SqlType::kindName(to), text);
    }
}

std::optional<qint64> roundToInt64(double value, QString *error)
{
    if (!std::isfinite(value)) {
        *error = QStringLiteral("Illegal conversion of non-finite floating point number to an integer: %1")
                     .arg(ScalarCodec::shortestDouble(value));
        return std::nullopt;
    }
    const double rounded = std::round(value); // half away from zero, as GoogleSQL rounds
    if (rounded < -9.223372036854775808e18 || rounded >= 9.223372036854775808e18) {
        *error = QStringLiteral("int64 overflow: %1").arg(ScalarCodec::shortestDouble(value));
        return std::nullopt;
    }
    return qint64(rounded);
}

bool dateLike(TypeKind kind)
{
    return kind == TypeKind::Date || kind == TypeKind::Datetime || kind == TypeKind::Timestamp || kind == TypeKind::Time;
}

} // namespace

bool ValueCaster::allowed(const SqlType &from, const SqlType &to)
{
    if (from == to)
        return true;
    if (from.isArray() || to.isArray())
        return from.isArray() && to.isArray() && allowed(from.element(), to.element());
    if (from.isStruct() || to.isStruct()) {
        if (!from.isStruct() || !to.isStruct() || from.members().size() != to.members().size())
            return false;
        for (qsizetype i = 0; i < from.members().size(); ++i) {
            if (!allowed(from.members().at(i).type, to.members().at(i).type))
                return false;
        }
        return true;
    }
    const TypeKind f = from.kind(), t = to.kind();
    if (f == TypeKind::Json || t == TypeKind::Json || f == TypeKind::Geography || t == TypeKind::Geography)
        return false;
    if (f == TypeKind::String || t == TypeKind::String)
        return true;
    if (from.isNumber() && to.isNumber())
        return true;
    if ((f == TypeKind::Bool && t == TypeKind::Int64) || (f == TypeKind::Int64 && t == TypeKind::Bool))
        return true;
    if (dateLike(f) && dateLike(t))
        return !(f == TypeKind::Date && t == TypeKind::Time) && !(f == TypeKind::Time && t != TypeKind::Time);
    return false;
}

std::optional<QVariant> ValueCaster::cast(const QVariant &value, const SqlType &from, const SqlType &to, QString *error)
{
    if (isNull(value))
        return QVariant();
    if (from == to)
        return value;
    if (from.isArray()) {
        QJsonArray converted;
        for (const QJsonValue &element : ValueCodec::composite(value)) {
            const std::optional<QVariant> cast = ValueCaster::cast(ValueCodec::fromNested(element, from.element()),
                                                                   from.element(), to.element(), error);
            if (!cast)
                return std::nullopt;
            converted.append(ValueCodec::nested(*cast, to.element()));
        }
        return ValueCodec::compositeText(converted);
    }
    if (from.isStruct()) {
        const QJsonArray members = ValueCodec::composite(value);
        QJsonArray converted;
        for (qsizetype i = 0; i < to.members().size(); ++i) {
            const SqlType &source = from.members().at(i).type;
            const SqlType &target = to.members().at(i).type;
            const std::optional<QVariant> cast = ValueCaster::cast(ValueCodec::fromNested(members.at(i), source), source, target, error);
            if (!cast)
                return std::nullopt;
            converted.append(ValueCodec::nested(*cast, target));
        }
        return ValueCodec::compositeText(converted);
    }
    const TypeKind f = from.kind(), t = to.kind();
    if (t == TypeKind::String) {
        const std::optional<QString> text = ScalarCodec::castText(f, value);
        if (!text)
            *error = QStringLiteral("Invalid UTF-8 in BYTES value cast to STRING");
        return text ? std::optional<QVariant>(*text) : std::nullopt;
    }
    if (f == TypeKind::String) {
        const QString text = value.toString();
        if (t == TypeKind::Bytes)
            return QVariant(text.toUtf8()); // CAST(STRING AS BYTES) is the UTF-8 encoding, not base64
        std::optional<QVariant> parsed = ScalarCodec::parse(t, t == TypeKind::Int64 || t == TypeKind::Float64 ? text.trimmed() : text);
        if (!parsed)
            *error = badValue(t, text);
        return parsed;
    }
    switch (t) {
    case TypeKind::Int64:
        if (f == TypeKind::Bool)
            return value;
        if (f == TypeKind::Float64) {
            const std::optional<qint64> rounded = roundToInt64(value.toDouble(), error);
            return rounded ? std::optional<QVariant>(qlonglong(*rounded)) : std::nullopt;
        }
        if (f == TypeKind::Numeric || f == TypeKind::BigNumeric) {
            const std::optional<qint64> rounded = roundToInt64(ScalarCodec::numericValue(value.toString()), error);
            return rounded ? std::optional<QVariant>(qlonglong(*rounded)) : std::nullopt;
        }
        break;
    case TypeKind::Bool:
        return qlonglong(value.toLongLong() != 0 ? 1 : 0);
    case TypeKind::Float64:
        if (f == TypeKind::Numeric || f == TypeKind::BigNumeric)
            return ScalarCodec::numericValue(value.toString());
        return value.toDouble();
    case TypeKind::Numeric:
    case TypeKind::BigNumeric: {
        QString text;
        if (f == TypeKind::Numeric || f == TypeKind::BigNumeric)
            text = ScalarCodec::numericText(value.toString());
        else if (f == TypeKind::Int64)
            text = QString::number(value.toLongLong());
        else
            text = QString::number(value.toDouble(), 'g', 17);
        const std::optional<QString> key = ScalarCodec::numericKey(text, t);
        if (!key)
            *error = QStringLiteral("%1 value is out of range: %2").arg(SqlType::kindName(t), text);
        return key ? std::optional<QVariant>(*key) : std::nullopt;
    }
    case TypeKind::Date:
        if (f == TypeKind::Timestamp)
            return ScalarCodec::dateFromTimestamp(value.toLongLong());
        return value.toString().left(10);
    case TypeKind::Datetime:
        if (f == TypeKind::Timestamp)
            return ScalarCodec::datetimeFromTimestamp(value.toLongLong());
        return value.toString() + QStringLiteral("T00:00:00.000000");
    case TypeKind::Time:
        if (f == TypeKind::Timestamp)
            return ScalarCodec::datetimeFromTimestamp(value.toLongLong()).mid(11);
        return value.toString().mid(11);
    case TypeKind::Timestamp:
        if (const std::optional<qint64> micros = ScalarCodec::parseTimestamp(value.toString()))
            return qlonglong(*micros);
        break;
    default:
        break;
    }
    *error = QStringLiteral("Invalid cast from %1 to %2").arg(from.name(), to.name());
    return std::nullopt;
}

QVariant ValueCaster::normalized(const QVariant &raw, const SqlType &type)
{
    if (isNull(raw))
        return QVariant();
    switch (type.kind()) {
    case TypeKind::Float64:
        return raw.toDouble();
    case TypeKind::Int64:
    case TypeKind::Bool:
    case TypeKind::Timestamp:
        return raw.typeId() == QMetaType::Double ? QVariant(qlonglong(raw.toDouble())) : QVariant(raw.toLongLong());
    case TypeKind::Bytes:
        return raw.typeId() == QMetaType::QString ? QVariant(raw.toString().toUtf8()) : QVariant(raw.toByteArray());
    default:
        return raw.typeId() == QMetaType::QByteArray ? QVariant(QString::fromUtf8(raw.toByteArray())) : QVariant(raw.toString());
    }
}

} // namespace tf::emu
