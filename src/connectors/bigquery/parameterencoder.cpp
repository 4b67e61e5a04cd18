#include "connectors/bigquery/parameterencoder.h"

#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <QLocale>
#include <cmath>

namespace tf {

namespace {

QJsonObject type(const QString &name)
{
    return QJsonObject{{QStringLiteral("type"), name}};
}

QJsonObject scalar(const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("value"), value}};
}

QJsonObject named(const QString &name, const QJsonObject &parameterType, const QJsonObject &parameterValue)
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("parameterType"), parameterType},
                       {QStringLiteral("parameterValue"), parameterValue}};
}

QJsonObject arrayValue(const QStringList &values)
{
    QJsonArray items;
    for (const QString &value : values)
        items.append(scalar(value));
    return QJsonObject{{QStringLiteral("arrayValues"), items}};
}

} // namespace

QString ParameterEncoder::timestampText(qint64 micros)
{
    const qint64 seconds = micros >= 0 ? micros / 1000000 : -((-micros + 999999) / 1000000);
    const qint64 fraction = micros - seconds * 1000000;
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
        + QStringLiteral(".%1Z").arg(fraction, 6, 10, QLatin1Char('0'));
}

QJsonObject ParameterEncoder::string(const QString &name, const QString &value)
{
    return named(name, type(QStringLiteral("STRING")), scalar(value));
}

QJsonObject ParameterEncoder::timestamp(const QString &name, qint64 micros)
{
    return named(name, type(QStringLiteral("TIMESTAMP")), scalar(timestampText(micros)));
}

QJsonObject ParameterEncoder::stringArray(const QString &name, const QStringList &values)
{
    return named(name, QJsonObject{{QStringLiteral("type"), QStringLiteral("ARRAY")}, {QStringLiteral("arrayType"), type(QStringLiteral("STRING"))}},
                 arrayValue(values));
}

QJsonObject ParameterEncoder::mergeRows(const QString &name, const QJsonArray &rowValues)
{
    QJsonObject rowType = contactType();
    QJsonArray members = rowType.value(QStringLiteral("structTypes")).toArray();
    for (const auto &[member, memberType] : conditionMembers())
        members.append(QJsonObject{{QStringLiteral("name"), member}, {QStringLiteral("type"), type(memberType)}});
    rowType.insert(QStringLiteral("structTypes"), members);
    return named(name,
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("ARRAY")}, {QStringLiteral("arrayType"), rowType}},
                 QJsonObject{{QStringLiteral("arrayValues"), rowValues}});
}

QJsonObject ParameterEncoder::mergeRowValue(const Contact &contact, const ExpectedVersions &expected)
{
    QJsonObject value = contactValue(contact);
    QJsonObject members = value.value(QStringLiteral("structValues")).toObject();
    const std::optional<Contact> version = expected.version(contact.id());
    const auto flag = [](bool on) { return scalar(on ? QStringLiteral("true") : QStringLiteral("false")); };
    members.insert(kUnconditional, flag(!expected.constrains(contact.id())));
    members.insert(kExpectPresent, flag(version.has_value()));
    members.insert(kExpectedUpdatedAt,
                   version ? fieldValue(FieldRegistry::field(field::UpdatedAt), version->value(field::UpdatedAt))
                           : scalar(QJsonValue::Null));
    value.insert(QStringLiteral("structValues"), members);
    return value;
}

int ParameterEncoder::mergeRowValueCount(const Contact &contact)
{
    return valueCount(contact) + int(conditionMembers().size());
}

QList<QPair<QString, QString>> ParameterEncoder::conditionMembers()
{
    return {{kUnconditional, QStringLiteral("BOOL")},
            {kExpectPresent, QStringLiteral("BOOL")},
            {kExpectedUpdatedAt, QStringLiteral("TIMESTAMP")}};
}

QJsonObject ParameterEncoder::fieldType(const FieldSpec &spec)
{
    const QJsonObject base = type(spec.bigqueryBaseType());
    if (spec.bigqueryMode() == QLatin1String("REPEATED"))
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("ARRAY")}, {QStringLiteral("arrayType"), base}};
    return base;
}

QJsonObject ParameterEncoder::contactType()
{
    QJsonArray members;
    for (const FieldSpec &spec : FieldRegistry::fields())
        members.append(QJsonObject{{QStringLiteral("name"), spec.name}, {QStringLiteral("type"), fieldType(spec)}});
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("STRUCT")}, {QStringLiteral("structTypes"), members}};
}

QJsonObject ParameterEncoder::fieldValue(const FieldSpec &spec, const QVariant &value)
{
    const bool null = !value.isValid() || value.isNull();
    switch (spec.kind) {
    case FieldKind::StringList:
        return arrayValue(null ? QStringList() : value.toStringList());
    case FieldKind::Text: // "" is NULL in the contract; storing one form keeps a rewrite from looking like a change
        return scalar(null || value.toString().isEmpty() ? QJsonValue() : QJsonValue(value.toString()));
    case FieldKind::Float: {
        bool ok = false;
        const double number = value.toDouble(&ok);
        // The engine never sends NaN or an infinity (ValueValidator refuses the contact where it is read); a caller
        // that does gets NULL rather than a value Twenty could not hold.
        if (null || !ok || !std::isfinite(number))
            return scalar(QJsonValue::Null);
        // Shortest text that reads back as the same double, so 0.1 + 0.2 survives the round trip exactly.
        return scalar(QString::number(number, 'g', QLocale::FloatingPointShortest));
    }
    case FieldKind::Timestamp: {
        const QDateTime stamp = ContactNormalizer::normalizedValue(spec, value).toDateTime();
        return scalar(stamp.isValid() ? QJsonValue(timestampText(stamp.toMSecsSinceEpoch() * 1000)) : QJsonValue());
    }
    case FieldKind::Json: {
        const QVariant normal = ContactNormalizer::normalizedValue(spec, value);
        return scalar(normal.isValid() ? QJsonValue(ContactNormalizer::canonicalJson(normal.value<QJsonValue>()))
                                       : QJsonValue());
    }
    }
    return scalar(QJsonValue::Null);
}

QJsonObject ParameterEncoder::contactValue(const Contact &contact)
{
    QJsonObject members;
    for (const FieldSpec &spec : FieldRegistry::fields())
        members.insert(spec.name, fieldValue(spec, contact.value(spec.index)));
    return QJsonObject{{QStringLiteral("structValues"), members}};
}

int ParameterEncoder::valueCount(const Contact &contact)
{
    int count = 0;
    for (const FieldSpec &spec : FieldRegistry::fields())
        count += spec.kind == FieldKind::StringList ? std::max<int>(1, int(contact.list(spec.name).size())) : 1;
    return count;
}

} // namespace tf
