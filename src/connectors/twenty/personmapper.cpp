#include "connectors/twenty/personmapper.h"

#include "connectors/twenty/phonesplitter.h"
#include "core/connector.h"
#include "core/contactcodec.h"
#include "core/contactnormalizer.h"

#include <QJsonArray>

namespace tf {

namespace {

// Where a contract field lives in a person record.
enum class Slot {
    PersonId,        // id
    Organization,    // companyId → company.name
    Text,            // a TEXT field (jobTitle) or a sub-field of a composite (name.firstName)
    ServerTimestamp, // updatedAt, deletedAt: set by the server, never sent
    Emails,          // EMAILS composite
    Phones,          // PHONES composite
    Custom,          // a custom field we provision, by name and type
};

Slot slotOf(const FieldSpec &spec, const TwentyMapping &mapping)
{
    if (mapping.custom)
        return Slot::Custom;
    if (mapping.name == QLatin1String("id"))
        return Slot::PersonId;
    if (mapping.name == QLatin1String("companyId"))
        return Slot::Organization;
    if (mapping.name.startsWith(QLatin1String("emails.")))
        return Slot::Emails;
    if (mapping.name.startsWith(QLatin1String("phones.")))
        return Slot::Phones;
    if (spec.kind == FieldKind::Timestamp)
        return Slot::ServerTimestamp;
    Q_ASSERT_X(spec.kind == FieldKind::Text, "PersonMapper", qPrintable(spec.name));
    return Slot::Text;
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("absent");
}

[[noreturn]] void wrongType(const QJsonObject &person, const QString &path, const QJsonValue &value,
                            const QString &expected)
{
    throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                         QStringLiteral("person %1: '%2' is %3, expected %4")
                             .arg(PersonMapper::personId(person), path, jsonTypeName(value), expected));
}

bool isAbsent(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined();
}

QString textAt(const QJsonObject &person, const QJsonObject &holder, const QString &key, const QString &path)
{
    const QJsonValue value = holder.value(key);
    if (isAbsent(value))
        return {};
    if (!value.isString())
        wrongType(person, path, value, QStringLiteral("a string"));
    return value.toString();
}

QJsonObject compositeAt(const QJsonObject &person, const QString &key)
{
    const QJsonValue value = person.value(key);
    if (isAbsent(value))
        return {};
    if (!value.isObject())
        wrongType(person, key, value, QStringLiteral("an object"));
    return value.toObject();
}

QJsonArray arrayAt(const QJsonObject &person, const QJsonObject &holder, const QString &key, const QString &path)
{
    const QJsonValue value = holder.value(key);
    if (isAbsent(value))
        return {}; // Twenty returns empty arrays as [] or null (§4.3)
    if (!value.isArray())
        wrongType(person, path, value, QStringLiteral("an array"));
    return value.toArray();
}

QDateTime timestampAt(const QJsonObject &person, const QString &key)
{
    const QString text = textAt(person, person, key, key);
    if (text.isEmpty())
        return {};
    const QDateTime parsed = ContactNormalizer::parseTimestamp(text);
    if (!parsed.isValid())
        wrongType(person, key, text, QStringLiteral("an ISO-8601 timestamp"));
    return parsed;
}

// A custom field's value, after checking it has the JSON type its Twenty type stores (§4.2 value formats).
QVariant customValue(const QJsonObject &person, const FieldSpec &spec, const TwentyMapping &mapping)
{
    const QJsonValue value = person.value(mapping.name);
    if (isAbsent(value))
        return {};
    const QString &type = mapping.customType;
    if (type == QLatin1String("TEXT") && !value.isString())
        wrongType(person, mapping.name, value, QStringLiteral("a string (TEXT)"));
    if (type == QLatin1String("NUMBER") && !value.isDouble())
        wrongType(person, mapping.name, value, QStringLiteral("a number (NUMBER)"));
    if (type == QLatin1String("DATE_TIME")) {
        if (!value.isString() || !ContactNormalizer::parseTimestamp(value.toString()).isValid())
            wrongType(person, mapping.name, value, QStringLiteral("an ISO-8601 timestamp (DATE_TIME)"));
    }
    if (type == QLatin1String("ARRAY")) {
        if (!value.isArray())
            wrongType(person, mapping.name, value, QStringLiteral("an array of strings (ARRAY)"));
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                wrongType(person, mapping.name, value, QStringLiteral("an array of strings (ARRAY)"));
        }
    }
    return ContactCodec::valueFromJson(spec, value);
}

QStringList emailsOf(const QJsonObject &person)
{
    const QJsonObject emails = compositeAt(person, QStringLiteral("emails"));
    QStringList list;
    list.append(textAt(person, emails, QStringLiteral("primaryEmail"), QStringLiteral("emails.primaryEmail")));
    for (const QJsonValue &item : arrayAt(person, emails, QStringLiteral("additionalEmails"),
                                          QStringLiteral("emails.additionalEmails"))) {
        if (!item.isString() && !item.isNull())
            wrongType(person, QStringLiteral("emails.additionalEmails"), item, QStringLiteral("a string"));
        list.append(item.toString());
    }
    return list;
}

QStringList phonesOf(const QJsonObject &person)
{
    const QJsonObject phones = compositeAt(person, QStringLiteral("phones"));
    const auto part = [&person](const QJsonObject &holder, const char *key, const QString &prefix) {
        const QString name = QString::fromLatin1(key);
        return textAt(person, holder, name, prefix + name);
    };
    const QString prefix = QStringLiteral("phones.");
    QStringList list{PhoneSplitter::join({part(phones, "primaryPhoneNumber", prefix),
                                          part(phones, "primaryPhoneCountryCode", prefix),
                                          part(phones, "primaryPhoneCallingCode", prefix)})};
    const QString additional = QStringLiteral("phones.additionalPhones.");
    for (const QJsonValue &item : arrayAt(person, phones, QStringLiteral("additionalPhones"),
                                          QStringLiteral("phones.additionalPhones"))) {
        if (!item.isObject())
            wrongType(person, QStringLiteral("phones.additionalPhones"), item, QStringLiteral("an object"));
        const QJsonObject entry = item.toObject();
        list.append(PhoneSplitter::join({part(entry, "number", additional), part(entry, "countryCode", additional),
                                         part(entry, "callingCode", additional)}));
    }
    return list;
}

QJsonValue textOrNull(const QString &text)
{
    // "" and null are the same to Twenty and newer builds store null (§4.3); send the stored form.
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject emailsBody(const QStringList &emails)
{
    QJsonArray additional;
    for (qsizetype i = 1; i < emails.size(); ++i)
        additional.append(emails.at(i));
    return QJsonObject{{QStringLiteral("primaryEmail"), textOrNull(emails.value(0))},
                       {QStringLiteral("additionalEmails"), additional}};
}

std::optional<QJsonObject> phonesBody(const QStringList &phones, QString *error)
{
    QList<PhoneParts> parts;
    for (const QString &phone : phones) {
        const std::optional<PhoneParts> split = PhoneSplitter::split(phone, error);
        if (!split)
            return std::nullopt;
        parts.append(*split);
    }
    const PhoneParts primary = parts.value(0);
    QJsonArray additional;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        additional.append(QJsonObject{{QStringLiteral("number"), parts.at(i).number},
                                      {QStringLiteral("countryCode"), textOrNull(parts.at(i).countryCode)},
                                      {QStringLiteral("callingCode"), textOrNull(parts.at(i).callingCode)}});
    }
    return QJsonObject{{QStringLiteral("primaryPhoneNumber"), textOrNull(primary.number)},
                       {QStringLiteral("primaryPhoneCountryCode"), textOrNull(primary.countryCode)},
                       {QStringLiteral("primaryPhoneCallingCode"), textOrNull(primary.callingCode)},
                       {QStringLiteral("additionalPhones"), additional}};
}

} // namespace

std::optional<QJsonObject> PersonMapper::toPerson(const Contact &contact, const QString &personId,
                                                  const QString &companyId, QString *error)
{
    QJsonObject person;
    QHash<QString, QJsonObject> composites;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const TwentyMapping mapping = spec.twentyMapping();
        const QVariant value = ContactNormalizer::normalizedValue(spec, contact.value(spec.index));
        switch (slotOf(spec, mapping)) {
        case Slot::PersonId:
            if (!personId.isEmpty())
                person.insert(QStringLiteral("id"), personId);
            break;
        case Slot::Organization:
            person.insert(QStringLiteral("companyId"), textOrNull(companyId));
            break;
        case Slot::Text:
            if (mapping.name.contains(QLatin1Char('.')))
                composites[mapping.name.section(QLatin1Char('.'), 0, 0)].insert(
                    mapping.name.section(QLatin1Char('.'), 1), textOrNull(value.toString()));
            else
                person.insert(mapping.name, textOrNull(value.toString()));
            break;
        case Slot::ServerTimestamp:
            break;
        case Slot::Emails:
            person.insert(QStringLiteral("emails"), emailsBody(value.toStringList()));
            break;
        case Slot::Phones: {
            const std::optional<QJsonObject> phones = phonesBody(value.toStringList(), error);
            if (!phones)
                return std::nullopt;
            person.insert(QStringLiteral("phones"), *phones);
            break;
        }
        case Slot::Custom:
            person.insert(mapping.name, ContactCodec::valueToJson(spec, value));
            break;
        }
    }
    for (auto it = composites.cbegin(); it != composites.cend(); ++it)
        person.insert(it.key(), it.value());
    return person;
}

Contact PersonMapper::fromPerson(const QJsonObject &person, const QString &companyName)
{
    Contact contact;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const TwentyMapping mapping = spec.twentyMapping();
        QVariant value;
        switch (slotOf(spec, mapping)) {
        case Slot::PersonId:
            value = personId(person);
            break;
        case Slot::Organization:
            value = companyName;
            break;
        case Slot::Text:
            if (mapping.name.contains(QLatin1Char('.'))) {
                const QString key = mapping.name.section(QLatin1Char('.'), 0, 0);
                value = textAt(person, compositeAt(person, key), mapping.name.section(QLatin1Char('.'), 1),
                               mapping.name);
            } else {
                value = textAt(person, person, mapping.name, mapping.name);
            }
            break;
        case Slot::ServerTimestamp:
            value = timestampAt(person, mapping.name);
            break;
        case Slot::Emails:
            value = emailsOf(person);
            break;
        case Slot::Phones:
            value = phonesOf(person);
            break;
        case Slot::Custom:
            value = customValue(person, spec, mapping);
            break;
        }
        contact.setValue(spec.index, ContactNormalizer::normalizedValue(spec, value));
    }
    return contact;
}

QString PersonMapper::personId(const QJsonObject &person)
{
    return person.value(QStringLiteral("id")).toString();
}

QString PersonMapper::contactId(const QJsonObject &person)
{
    return person.value(contactIdField()).toString();
}

QString PersonMapper::companyId(const QJsonObject &person)
{
    return person.value(QStringLiteral("companyId")).toString();
}

QDateTime PersonMapper::updatedAt(const QJsonObject &person)
{
    return timestampAt(person, QStringLiteral("updatedAt"));
}

QDateTime PersonMapper::deletedAt(const QJsonObject &person)
{
    return timestampAt(person, QStringLiteral("deletedAt"));
}

QString PersonMapper::contactIdField()
{
    static const QString name = FieldRegistry::field(field::ContactId).twentyMapping().name;
    return name;
}

QString PersonMapper::primaryEmailField()
{
    static const QString name = FieldRegistry::field(field::Emails).twentyMapping().name;
    return name;
}

} // namespace tf
