#include "bigquery/valuecodec.h"

#include "bigquery/scalarcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace tf::emu {

namespace {

bool isNull(const QVariant &storage)
{
    return !storage.isValid() || storage.isNull();
}

} // namespace

QJsonValue ValueCodec::nested(const QVariant &storage, const SqlType &type)
{
    if (isNull(storage))
        return QJsonValue::Null;
    switch (type.kind()) {
    case TypeKind::Array:
    case TypeKind::Struct:
        return composite(storage);
    case TypeKind::Bool:
        return storage.toLongLong() != 0;
    case TypeKind::Int64:
    case TypeKind::Timestamp:
        return QString::number(storage.toLongLong());
    case TypeKind::Float64:
        return ScalarCodec::shortestDouble(storage.toDouble());
    case TypeKind::Bytes:
        return QString::fromLatin1(storage.toByteArray().toBase64());
    default:
        return storage.toString();
    }
}

QVariant ValueCodec::fromNested(const QJsonValue &value, const SqlType &type)
{
    if (value.isNull() || value.isUndefined())
        return QVariant();
    switch (type.kind()) {
    case TypeKind::Array:
    case TypeKind::Struct:
        return compositeText(value.toArray());
    case TypeKind::Bool:
        return qlonglong(value.toBool() ? 1 : 0);
    case TypeKind::Int64:
    case TypeKind::Timestamp:
        return qlonglong(value.toString().toLongLong());
    case TypeKind::Float64:
        return ScalarCodec::parseFloat(value.toString()).value_or(0.0);
    case TypeKind::Bytes:
        return QByteArray::fromBase64(value.toString().toLatin1());
    default:
        return value.toString();
    }
}

QJsonArray ValueCodec::composite(const QVariant &storage)
{
    if (isNull(storage))
        return QJsonArray();
    return QJsonDocument::fromJson(storage.toString().toUtf8()).array();
}

QString ValueCodec::compositeText(const QJsonArray &nested)
{
    return QString::fromUtf8(QJsonDocument(nested).toJson(QJsonDocument::Compact));
}

QString ValueCodec::jsonQuote(const QString &text)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QString ValueCodec::toJsonString(const QVariant &storage, const SqlType &type)
{
    if (isNull(storage))
        return QStringLiteral("null");
    switch (type.kind()) {
    case TypeKind::Int64:
        return QString::number(storage.toLongLong());
    case TypeKind::Float64: {
        const double value = storage.toDouble();
        if (std::isnan(value))
            return QStringLiteral("\"NaN\"");
        if (std::isinf(value))
            return value > 0 ? QStringLiteral("\"Infinity\"") : QStringLiteral("\"-Infinity\"");
        return ScalarCodec::shortestDouble(value);
    }
    case TypeKind::Numeric:
    case TypeKind::BigNumeric:
        return ScalarCodec::numericText(storage.toString());
    case TypeKind::Bool:
        return storage.toLongLong() ? QStringLiteral("true") : QStringLiteral("false");
    case TypeKind::Json:
        return storage.toString();
    case TypeKind::Timestamp:
        return jsonQuote(ScalarCodec::timestampJson(storage.toLongLong()));
    case TypeKind::Datetime:
    case TypeKind::Time:
    case TypeKind::Bytes:
        return jsonQuote(ScalarCodec::cellText(type.kind(), storage));
    case TypeKind::Array: {
        QStringList parts;
        for (const QJsonValue &element : composite(storage))
            parts.append(toJsonString(fromNested(element, type.element()), type.element()));
        return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
    }
    case TypeKind::Struct: {
        const QJsonArray members = composite(storage);
        QStringList parts;
        for (qsizetype i = 0; i < type.members().size(); ++i) {
            const StructMember &member = type.members().at(i);
            parts.append(jsonQuote(member.name) + QLatin1Char(':')
                         + toJsonString(fromNested(members.at(i), member.type), member.type));
        }
        return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
    }
    default:
        return jsonQuote(storage.toString());
    }
}

} // namespace tf::emu
