#include "twenty/compositeinputprocessor.h"

#include "twenty/apierror.h"
#include "twenty/emailcanonicalizer.h"
#include "twenty/linknormalizer.h"
#include "twenty/phonenormalizer.h"
#include "twenty/uuids.h"
#include "twenty/valueinspector.h"

#include <QJsonDocument>

namespace tf::emu {

namespace {

QString typeLabel(FieldType type)
{
    switch (type) {
    case FieldType::FullName:
        return QStringLiteral("full name");
    case FieldType::Emails:
        return QStringLiteral("emails");
    case FieldType::Links:
        return QStringLiteral("links");
    case FieldType::Phones:
        return QStringLiteral("phones");
    default:
        return QStringLiteral("actor");
    }
}

[[noreturn]] void invalidObject(const QJsonValue &value, const QString &key)
{
    throw ApiError::badRequest(QStringLiteral("Invalid object value %1 for field \"%2\"").arg(ValueInspector::inspect(value), key));
}

// A RAW_JSON-style object: an object, or a string holding one (validate-raw-json-field).
QJsonObject requireObject(const QJsonValue &value, const QString &key)
{
    if (value.isObject())
        return value.toObject();
    if (value.isString()) {
        const QJsonDocument parsed = QJsonDocument::fromJson(value.toString().toUtf8());
        if (parsed.isObject())
            return parsed.object();
    }
    invalidObject(value, key);
}

QJsonValue requireText(const QJsonValue &value, const QString &path)
{
    if (!value.isNull() && !value.isString()) {
        throw ApiError::badRequest(
            QStringLiteral("Invalid string value %1 for text field \"%2\"").arg(ValueInspector::inspect(value), path));
    }
    return value;
}

QJsonArray requireStringArray(const QJsonValue &value, const QString &path)
{
    if (value.isNull())
        return {};
    bool ok = value.isArray();
    for (const QJsonValue &item : value.toArray())
        ok = ok && item.isString();
    if (!ok) {
        throw ApiError::badRequest(QStringLiteral("Invalid value %1 for field \"%2 - Array values need to be string\"")
                                       .arg(ValueInspector::inspect(value), path));
    }
    return value.toArray();
}

QJsonArray requireObjectArray(const QJsonValue &value, const QString &path)
{
    if (value.isNull())
        return {};
    if (!value.isArray())
        invalidObject(value, path);
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isObject())
            invalidObject(value, path);
    }
    return value.toArray();
}

QString canonicalEmail(const QJsonValue &value, const QString &path)
{
    const QString canonical = EmailCanonicalizer::canonicalize(value.toString());
    if (!EmailCanonicalizer::isValid(canonical)) {
        throw ApiError::badRequest(
            QStringLiteral("Invalid string value %1 for email field \"%2\"").arg(ValueInspector::inspect(value), path));
    }
    return canonical;
}

std::optional<QString> phonePart(const QJsonObject &sent, const QString &name, const QString &path)
{
    if (!sent.contains(name))
        return std::nullopt;
    const QJsonValue value = requireText(sent.value(name), path + QLatin1Char('.') + name);
    return value.isString() ? std::optional<QString>(value.toString()) : std::nullopt;
}

QJsonObject phoneJson(const PhoneParts &parts, const QString &number, const QString &country, const QString &calling)
{
    QJsonObject json;
    if (parts.number)
        json.insert(number, *parts.number);
    if (parts.countryCode)
        json.insert(country, *parts.countryCode);
    if (parts.callingCode)
        json.insert(calling, *parts.callingCode);
    return json;
}

} // namespace

CompositeInputProcessor::CompositeInputProcessor(const NullEquivalence &nulls)
    : m_nulls(nulls)
{
}

QJsonObject CompositeInputProcessor::defaults(FieldType type) const
{
    QJsonObject composite;
    for (const SubField &sub : subFieldsOf(type)) {
        switch (sub.kind) {
        case SubField::Kind::Text:
            composite.insert(sub.name, m_nulls.emptyText(true));
            break;
        case SubField::Kind::Array:
            composite.insert(sub.name, QJsonArray());
            break;
        case SubField::Kind::Uuid:
        case SubField::Kind::Json:
            composite.insert(sub.name, QJsonValue::Null);
            break;
        }
    }
    return composite;
}

QJsonObject CompositeInputProcessor::apply(const FieldDefinition &field, const QJsonValue &value,
                                           const QJsonObject &current) const
{
    if (value.isNull())
        return defaults(field.type);
    const QJsonObject sent = requireObject(value, field.name);
    for (auto it = sent.begin(); it != sent.end(); ++it) {
        if (!findSubField(field.type, it.key())) {
            throw ApiError::badRequest(
                QStringLiteral("Invalid subfield %1 for %2 field \"%3\"").arg(it.key(), typeLabel(field.type), field.name));
        }
    }
    QJsonObject changes;
    switch (field.type) {
    case FieldType::Emails:
        changes = emails(field.name, sent);
        break;
    case FieldType::Links:
        changes = links(field.name, sent);
        break;
    case FieldType::Phones:
        changes = phones(field.name, sent);
        break;
    case FieldType::Actor:
        changes = actor(field.name, sent);
        break;
    default:
        changes = plainSubFields(field, sent);
        break;
    }
    QJsonObject merged = current.isEmpty() ? defaults(field.type) : current;
    for (auto it = changes.begin(); it != changes.end(); ++it)
        merged.insert(it.key(), it.value());
    return finish(field.type, merged);
}

QJsonObject CompositeInputProcessor::plainSubFields(const FieldDefinition &field, const QJsonObject &sent) const
{
    QJsonObject changes;
    for (auto it = sent.begin(); it != sent.end(); ++it)
        changes.insert(it.key(), requireText(it.value(), field.name + QLatin1Char('.') + it.key()));
    return changes;
}

QJsonObject CompositeInputProcessor::emails(const QString &key, const QJsonObject &sent) const
{
    QJsonObject changes;
    const QString primaryPath = key + QStringLiteral(".primaryEmail");
    if (sent.contains(QStringLiteral("primaryEmail"))) {
        const QJsonValue primary = requireText(sent.value(QStringLiteral("primaryEmail")), primaryPath);
        const bool given = primary.isString() && !primary.toString().trimmed().isEmpty();
        changes.insert(QStringLiteral("primaryEmail"), given ? QJsonValue(canonicalEmail(primary, primaryPath)) : primary);
    }
    if (sent.contains(QStringLiteral("additionalEmails"))) {
        const QString path = key + QStringLiteral(".additionalEmails");
        QJsonArray canonical;
        for (const QJsonValue &email : requireStringArray(sent.value(QStringLiteral("additionalEmails")), path))
            canonical.append(canonicalEmail(email, path));
        changes.insert(QStringLiteral("additionalEmails"), canonical);
    }
    return changes;
}

QJsonObject CompositeInputProcessor::links(const QString &key, const QJsonObject &sent) const
{
    QJsonObject changes;
    for (const QString &name : {QStringLiteral("primaryLinkUrl"), QStringLiteral("primaryLinkLabel")}) {
        if (!sent.contains(name))
            continue;
        QJsonValue value = requireText(sent.value(name), key + QLatin1Char('.') + name);
        if (name == QLatin1String("primaryLinkUrl") && value.isString())
            value = LinkNormalizer::normalize(value.toString());
        changes.insert(name, value);
    }
    if (sent.contains(QStringLiteral("secondaryLinks"))) {
        const QString path = key + QStringLiteral(".secondaryLinks");
        QJsonArray normalized;
        for (const QJsonValue &item : requireObjectArray(sent.value(QStringLiteral("secondaryLinks")), path)) {
            const QJsonObject link = item.toObject();
            const QJsonValue url = requireText(link.value(QStringLiteral("url")), path + QStringLiteral(".url"));
            const QJsonValue label = requireText(link.value(QStringLiteral("label")), path + QStringLiteral(".label"));
            normalized.append(QJsonObject{
                {QStringLiteral("url"), url.isString() ? QJsonValue(LinkNormalizer::normalize(url.toString())) : url},
                {QStringLiteral("label"), label.isUndefined() ? QJsonValue() : label}});
        }
        changes.insert(QStringLiteral("secondaryLinks"), normalized);
    }
    return changes;
}

QJsonObject CompositeInputProcessor::phones(const QString &key, const QJsonObject &sent) const
{
    PhoneParts primary;
    primary.number = phonePart(sent, QStringLiteral("primaryPhoneNumber"), key);
    primary.countryCode = phonePart(sent, QStringLiteral("primaryPhoneCountryCode"), key);
    primary.callingCode = phonePart(sent, QStringLiteral("primaryPhoneCallingCode"), key);
    QJsonObject changes = phoneJson(PhoneNormalizer::normalize(primary), QStringLiteral("primaryPhoneNumber"),
                                    QStringLiteral("primaryPhoneCountryCode"), QStringLiteral("primaryPhoneCallingCode"));
    // An explicit null clears the sub-field (removeUndefinedFields keeps nulls).
    for (const QString &name : {QStringLiteral("primaryPhoneNumber"), QStringLiteral("primaryPhoneCountryCode"),
                                QStringLiteral("primaryPhoneCallingCode")}) {
        if (sent.value(name).isNull() && sent.contains(name) && !changes.contains(name))
            changes.insert(name, QJsonValue::Null);
    }
    if (sent.contains(QStringLiteral("additionalPhones"))) {
        const QString path = key + QStringLiteral(".additionalPhones");
        QJsonArray normalized;
        for (const QJsonValue &item : requireObjectArray(sent.value(QStringLiteral("additionalPhones")), path)) {
            const QJsonObject phone = item.toObject();
            PhoneParts parts;
            parts.number = phonePart(phone, QStringLiteral("number"), path);
            parts.countryCode = phonePart(phone, QStringLiteral("countryCode"), path);
            parts.callingCode = phonePart(phone, QStringLiteral("callingCode"), path);
            normalized.append(phoneJson(PhoneNormalizer::normalize(parts), QStringLiteral("number"),
                                        QStringLiteral("countryCode"), QStringLiteral("callingCode")));
        }
        changes.insert(QStringLiteral("additionalPhones"), normalized);
    }
    return changes;
}

QJsonObject CompositeInputProcessor::actor(const QString &key, const QJsonObject &sent) const
{
    // actor.composite-type.ts's FieldActorSource (§4.1).
    static const QStringList sources{QStringLiteral("EMAIL"),    QStringLiteral("CALENDAR"), QStringLiteral("WORKFLOW"),
                                     QStringLiteral("AGENT"),    QStringLiteral("API"),      QStringLiteral("IMPORT"),
                                     QStringLiteral("MANUAL"),   QStringLiteral("SYSTEM"),   QStringLiteral("WEBHOOK"),
                                     QStringLiteral("APPLICATION")};
    QJsonObject changes;
    for (auto it = sent.begin(); it != sent.end(); ++it) {
        const QString path = key + QLatin1Char('.') + it.key();
        const QJsonValue value = it.value();
        if (it.key() == QLatin1String("source") && !sources.contains(value.toString())) {
            throw ApiError::badRequest(
                QStringLiteral("Invalid value %1 for field \"%2\"").arg(ValueInspector::inspect(value), path));
        }
        if (it.key() == QLatin1String("workspaceMemberId") && !value.isNull() && !Uuids::isValid(value.toString())) {
            throw ApiError::badRequest(
                QStringLiteral("Invalid UUID value %1 for field \"%2\"").arg(ValueInspector::inspect(value), path));
        }
        if (it.key() == QLatin1String("context") && !value.isNull() && !value.isObject())
            invalidObject(value, path);
        if (it.key() == QLatin1String("name"))
            requireText(value, path);
        changes.insert(it.key(), it.key() == QLatin1String("workspaceMemberId") && value.isString()
                                     ? QJsonValue(value.toString().toLower())
                                     : value);
    }
    return changes;
}

QJsonObject CompositeInputProcessor::finish(FieldType type, QJsonObject merged) const
{
    if (type == FieldType::Links && NullEquivalence::isNullEquivalentText(merged.value(QStringLiteral("primaryLinkUrl")))) {
        // remove-empty-links: the first secondary link moves up when the primary is empty.
        QJsonArray secondary = merged.value(QStringLiteral("secondaryLinks")).toArray();
        if (!secondary.isEmpty()) {
            const QJsonObject first = secondary.takeAt(0).toObject();
            merged.insert(QStringLiteral("primaryLinkUrl"), first.value(QStringLiteral("url")));
            merged.insert(QStringLiteral("primaryLinkLabel"), first.value(QStringLiteral("label")));
            merged.insert(QStringLiteral("secondaryLinks"), secondary);
        }
    }
    for (const SubField &sub : subFieldsOf(type)) {
        if (sub.kind == SubField::Kind::Text)
            merged.insert(sub.name, m_nulls.text(merged.value(sub.name), true));
        else if (sub.kind == SubField::Kind::Array && merged.value(sub.name).isNull())
            merged.insert(sub.name, QJsonArray());
    }
    return merged;
}

} // namespace tf::emu
