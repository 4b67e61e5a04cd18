#include "bigquery/rowdecoder.h"

#include "bigquery/scalarcodec.h"
#include "bigquery/valuecodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace tf::emu {

namespace {

class Decoder
{
public:
    Decoder(bool ignoreUnknownValues, QList<RowDecoder::FieldError> *errors)
        : m_ignoreUnknown(ignoreUnknownValues)
        , m_errors(errors)
    {
    }

    // The members of a JSON object in schema order, in storage form.
    QVariantList members(const QJsonObject &object, const QList<FieldSchema> &fields, const QString &prefix)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (FieldSchema::indexOf(fields, it.key()) < 0 && !m_ignoreUnknown)
                error(prefix + it.key(), QStringLiteral("no such field: %1.").arg(prefix + it.key()));
        }
        QVariantList values;
        for (const FieldSchema &field : fields) {
            QJsonValue value;
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it.key().compare(field.name, Qt::CaseInsensitive) == 0)
                    value = it.value();
            }
            values.append(column(value, field, prefix + field.name));
        }
        return values;
    }

private:
    void error(const QString &location, const QString &message) { m_errors->append(RowDecoder::FieldError{location, message}); }

    QVariant column(const QJsonValue &value, const FieldSchema &field, const QString &path)
    {
        if (field.repeated()) {
            if (value.isUndefined() || value.isNull())
                return ValueCodec::compositeText(QJsonArray());
            if (!value.isArray()) {
                error(path, QStringLiteral("Repeated field must be imported as a JSON array: %1.").arg(path));
                return QVariant();
            }
            QJsonArray elements;
            for (const QJsonValue &element : value.toArray()) {
                if (element.isNull()) {
                    error(path, QStringLiteral("Array specified for repeated field %1 contains a null element.").arg(path));
                    continue;
                }
                elements.append(ValueCodec::nested(single(element, field, path), field.baseType()));
            }
            return ValueCodec::compositeText(elements);
        }
        if (value.isUndefined() || value.isNull()) {
            if (field.mode == FieldSchema::Mode::Required)
                error(path, QStringLiteral("Missing required field: %1.").arg(path));
            return QVariant();
        }
        if (value.isArray()) {
            error(path, QStringLiteral("Array specified for non-repeated field: %1.").arg(path));
            return QVariant();
        }
        return single(value, field, path);
    }

    QVariant single(const QJsonValue &value, const FieldSchema &field, const QString &path)
    {
        if (field.kind == TypeKind::Struct) {
            if (!value.isObject()) {
                error(path, QStringLiteral("This field: %1 is not a record.").arg(path));
                return QVariant();
            }
            const QVariantList values = members(value.toObject(), field.fields, path + QLatin1Char('.'));
            QJsonArray nested;
            for (qsizetype i = 0; i < field.fields.size(); ++i)
                nested.append(ValueCodec::nested(values.at(i), field.fields.at(i).valueType()));
            return ValueCodec::compositeText(nested);
        }
        if (const std::optional<QVariant> decoded = scalar(value, field.kind))
            return *decoded;
        const QString shown = value.isString() ? value.toString()
                                               : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
        error(path, message(field.kind, shown, path));
        return QVariant();
    }

    static QString message(TypeKind kind, const QString &value, const QString &path)
    {
        switch (kind) {
        case TypeKind::Int64:
            return QStringLiteral("Cannot convert value to integer (bad value): %1").arg(value);
        case TypeKind::Float64:
            return QStringLiteral("Cannot convert value to floating point (bad value): %1").arg(value);
        case TypeKind::Bool:
            return QStringLiteral("Cannot convert value to boolean (bad value): %1").arg(value);
        case TypeKind::Timestamp:
            return QStringLiteral("Could not parse '%1' as a timestamp. Required format is YYYY-MM-DD HH:MM[:SS[.SSSSSS]] or "
                                  "YYYY/MM/DD HH:MM[:SS[.SSSSSS]]")
                .arg(value);
        case TypeKind::Json:
            return QStringLiteral("Invalid JSON value for field %1: %2").arg(path, value);
        default:
            return QStringLiteral("Cannot convert value to %1 (bad value): %2").arg(SqlType::kindName(kind).toLower(), value);
        }
    }

    static std::optional<QVariant> scalar(const QJsonValue &value, TypeKind kind)
    {
        if (kind == TypeKind::Json) {
            if (value.isString())
                return ScalarCodec::parse(TypeKind::Json, value.toString());
            const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
            return ScalarCodec::parse(TypeKind::Json, QString::fromUtf8(text.mid(1, text.size() - 2)));
        }
        if (value.isString()) {
            std::optional<QVariant> parsed = ScalarCodec::parse(kind, value.toString());
            if (parsed && kind == TypeKind::Float64 && std::isnan(parsed->toDouble()))
                return std::nullopt; // SQLite cannot hold NaN; refusing the row beats storing NULL
            return parsed;
        }
        if (value.isBool()) {
            if (kind == TypeKind::Bool)
                return QVariant(qlonglong(value.toBool() ? 1 : 0));
            if (kind == TypeKind::String)
                return QVariant(value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
            return std::nullopt;
        }
        if (value.isDouble()) {
            const double number = value.toDouble();
            const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
            const QString written = QString::fromUtf8(text.mid(1, text.size() - 2));
            switch (kind) {
            case TypeKind::Int64:
                if (std::trunc(number) == number && std::fabs(number) < 9.3e18)
                    return QVariant(qlonglong(value.toInteger(qint64(number))));
                return std::nullopt;
            case TypeKind::Float64:
                return QVariant(number);
            case TypeKind::Numeric:
            case TypeKind::BigNumeric:
                return ScalarCodec::parse(kind, written);
            case TypeKind::String:
                return QVariant(written);
            case TypeKind::Timestamp: // epoch seconds
                if (!std::isfinite(number) || std::fabs(number) > 2.6e11)
                    return std::nullopt;
                return QVariant(qlonglong(std::llround(number * 1e6)));
            default:
                return std::nullopt;
            }
        }
        return std::nullopt;
    }

    bool m_ignoreUnknown;
    QList<RowDecoder::FieldError> *m_errors;
};

} // namespace

QVariantList RowDecoder::decode(const QJsonObject &json, const QList<FieldSchema> &schema, bool ignoreUnknownValues, QList<FieldError> *errors)
{
    return Decoder(ignoreUnknownValues, errors).members(json, schema, QString());
}

} // namespace tf::emu
