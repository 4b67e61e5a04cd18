#include "bigquery/parameterdecoder.h"

#include "bigquery/googleerror.h"
#include "bigquery/scalarcodec.h"
#include "bigquery/valuecodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace tf::emu {

namespace {

[[noreturn]] void invalid(const QString &where, const QString &problem)
{
    throw GoogleError::invalidQuery(QStringLiteral("Query parameter %1: %2").arg(where, problem));
}

QString shown(const QJsonValue &value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2)).left(200);
}

// One scalar: strings are parsed with the type's text form; the official Node client sends numbers and booleans as
// JSON numbers and booleans (§1.1), which are taken when the type allows them.
QVariant scalar(const QJsonValue &value, TypeKind kind, const QString &where)
{
    const QString typeName = SqlType::kindName(kind);
    if (value.isString()) {
        const std::optional<QVariant> parsed = ScalarCodec::parse(kind, value.toString());
        if (!parsed)
            invalid(where, QStringLiteral("%1 is not a valid %2 value").arg(shown(value), typeName));
        return *parsed;
    }
    if (value.isBool() && kind == TypeKind::Bool)
        return qlonglong(value.toBool() ? 1 : 0);
    if (value.isDouble()) {
        const double number = value.toDouble();
        switch (kind) {
        case TypeKind::Int64:
            if (std::trunc(number) == number && std::fabs(number) < 9.3e18)
                return qlonglong(value.toInteger(qint64(number)));
            break;
        case TypeKind::Float64:
            return number;
        case TypeKind::Numeric:
        case TypeKind::BigNumeric:
            if (const std::optional<QString> key = ScalarCodec::numericKey(shown(value), kind))
                return *key;
            break;
        default:
            break;
        }
    }
    invalid(where, QStringLiteral("%1 is not a valid %2 value").arg(shown(value), typeName));
}

// The value in nested form (ValueCodec) for an element of an ARRAY or member of a STRUCT.
QJsonValue nested(const QJsonValue &parameterValue, const SqlType &type, const QString &where)
{
    return ValueCodec::nested(ParameterDecoder::value(parameterValue, type, where), type);
}

} // namespace

SqlType ParameterDecoder::type(const QJsonValue &parameterType, const QString &where)
{
    const QJsonObject object = parameterType.toObject();
    const QString name = object.value(QStringLiteral("type")).toString().toUpper();
    if (name == QLatin1String("ARRAY")) {
        const SqlType element = type(object.value(QStringLiteral("arrayType")), where + QStringLiteral("[]"));
        if (element.isArray())
            invalid(where, QStringLiteral("arrays of arrays are not supported"));
        return SqlType::arrayOf(element);
    }
    if (name == QLatin1String("STRUCT") || name == QLatin1String("RECORD")) {
        QList<StructMember> members;
        for (const QJsonValue &member : object.value(QStringLiteral("structTypes")).toArray()) {
            const QString memberName = member.toObject().value(QStringLiteral("name")).toString();
            members.append(StructMember{memberName, type(member.toObject().value(QStringLiteral("type")), where + QLatin1Char('.') + memberName)});
        }
        return SqlType::structOf(members);
    }
    if (name == QLatin1String("RANGE") || name == QLatin1String("INTERVAL"))
        invalid(where, QStringLiteral("tf-bigquery-emulator does not support parameters of type %1").arg(name));
    const std::optional<TypeKind> kind = SqlType::scalarKind(name);
    if (!kind)
        invalid(where, name.isEmpty() ? QStringLiteral("parameterType.type is missing") : QStringLiteral("unknown type %1").arg(name));
    return SqlType::scalar(*kind);
}

QVariant ParameterDecoder::value(const QJsonValue &parameterValue, const SqlType &type, const QString &where)
{
    const QJsonObject object = parameterValue.toObject();
    if (type.isArray()) {
        const QJsonValue values = object.value(QStringLiteral("arrayValues"));
        if (!values.isArray())
            return QVariant(); // no arrayValues: a NULL array
        QJsonArray elements;
        for (const QJsonValue &element : values.toArray())
            elements.append(nested(element, type.element(), where + QStringLiteral("[]")));
        return ValueCodec::compositeText(elements);
    }
    if (type.isStruct()) {
        const QJsonValue values = object.value(QStringLiteral("structValues"));
        if (!values.isObject())
            return QVariant();
        const QJsonObject members = values.toObject();
        QJsonArray converted;
        for (const StructMember &member : type.members())
            converted.append(nested(members.value(member.name), member.type, where + QLatin1Char('.') + member.name));
        return ValueCodec::compositeText(converted);
    }
    const QJsonValue scalarValue = object.value(QStringLiteral("value"));
    if (scalarValue.isUndefined() || scalarValue.isNull())
        return QVariant();
    const QVariant decoded = scalar(scalarValue, type.kind(), where);
    // SQLite stores NaN as NULL; refusing it is better than a silent NULL.
    if (type.kind() == TypeKind::Float64 && std::isnan(decoded.toDouble()))
        invalid(where, QStringLiteral("tf-bigquery-emulator cannot represent a FLOAT64 NaN (its SQLite engine has no NaN)"));
    return decoded;
}

void ParameterDecoder::decode(const QJsonObject &request, QueryContext &context)
{
    const QJsonArray parameters = request.value(QStringLiteral("queryParameters")).toArray();
    QString mode = request.value(QStringLiteral("parameterMode")).toString().toUpper();
    if (mode.isEmpty() && !parameters.isEmpty())
        mode = parameters.first().toObject().contains(QStringLiteral("name")) ? QStringLiteral("NAMED") : QStringLiteral("POSITIONAL");
    if (!mode.isEmpty() && mode != QLatin1String("NAMED") && mode != QLatin1String("POSITIONAL"))
        throw GoogleError::invalid(QStringLiteral("Invalid value for parameterMode: %1").arg(request.value(QStringLiteral("parameterMode")).toString()));
    for (qsizetype i = 0; i < parameters.size(); ++i) {
        const QJsonObject parameter = parameters.at(i).toObject();
        QueryParameter decoded;
        decoded.name = parameter.value(QStringLiteral("name")).toString();
        const QString where = mode == QLatin1String("NAMED") ? QLatin1Char('@') + decoded.name : QStringLiteral("#%1").arg(i + 1);
        if (mode == QLatin1String("NAMED") && decoded.name.isEmpty())
            throw GoogleError::invalidQuery(QStringLiteral("Query parameter #%1 has no name, but parameterMode is NAMED").arg(i + 1));
        decoded.type = type(parameter.value(QStringLiteral("parameterType")), where);
        decoded.value = value(parameter.value(QStringLiteral("parameterValue")), decoded.type, where);
        if (mode == QLatin1String("NAMED")) {
            if (context.named.contains(decoded.name.toLower()))
                throw GoogleError::invalidQuery(QStringLiteral("Duplicate query parameter name %1").arg(decoded.name));
            context.named.insert(decoded.name.toLower(), decoded);
        } else {
            context.positional.append(decoded);
        }
    }
}

} // namespace tf::emu
