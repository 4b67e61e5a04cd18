#include "twenty/fieldtype.h"

namespace tf::emu {

namespace {

const QList<QPair<FieldType, QString>> &typeNames()
{
    static const QList<QPair<FieldType, QString>> names{
        {FieldType::Uuid, QStringLiteral("UUID")},
        {FieldType::Text, QStringLiteral("TEXT")},
        {FieldType::Number, QStringLiteral("NUMBER")},
        {FieldType::Boolean, QStringLiteral("BOOLEAN")},
        {FieldType::DateTime, QStringLiteral("DATE_TIME")},
        {FieldType::Date, QStringLiteral("DATE")},
        {FieldType::RawJson, QStringLiteral("RAW_JSON")},
        {FieldType::Array, QStringLiteral("ARRAY")},
        {FieldType::Select, QStringLiteral("SELECT")},
        {FieldType::MultiSelect, QStringLiteral("MULTI_SELECT")},
        {FieldType::Rating, QStringLiteral("RATING")},
        {FieldType::Position, QStringLiteral("POSITION")},
        {FieldType::FullName, QStringLiteral("FULL_NAME")},
        {FieldType::Emails, QStringLiteral("EMAILS")},
        {FieldType::Links, QStringLiteral("LINKS")},
        {FieldType::Phones, QStringLiteral("PHONES")},
        {FieldType::Actor, QStringLiteral("ACTOR")},
        {FieldType::Relation, QStringLiteral("RELATION")},
    };
    return names;
}

} // namespace

QString fieldTypeName(FieldType type)
{
    for (const auto &[candidate, name] : typeNames()) {
        if (candidate == type)
            return name;
    }
    return {};
}

std::optional<FieldType> fieldTypeFromName(const QString &name)
{
    for (const auto &[type, candidate] : typeNames()) {
        if (candidate == name)
            return type;
    }
    return std::nullopt;
}

bool isComposite(FieldType type)
{
    return !subFieldsOf(type).isEmpty();
}

const QList<SubField> &subFieldsOf(FieldType type)
{
    using K = SubField::Kind;
    // Sub-field lists of twenty-shared's composite types (full-name, emails, links, phones, actor).
    static const QList<SubField> fullName{{QStringLiteral("firstName"), K::Text}, {QStringLiteral("lastName"), K::Text}};
    static const QList<SubField> emails{{QStringLiteral("primaryEmail"), K::Text},
                                        {QStringLiteral("additionalEmails"), K::Array}};
    static const QList<SubField> links{{QStringLiteral("primaryLinkUrl"), K::Text},
                                       {QStringLiteral("primaryLinkLabel"), K::Text},
                                       {QStringLiteral("secondaryLinks"), K::Array}};
    static const QList<SubField> phones{{QStringLiteral("primaryPhoneNumber"), K::Text},
                                        {QStringLiteral("primaryPhoneCountryCode"), K::Text},
                                        {QStringLiteral("primaryPhoneCallingCode"), K::Text},
                                        {QStringLiteral("additionalPhones"), K::Array}};
    static const QList<SubField> actor{{QStringLiteral("source"), K::Text},
                                       {QStringLiteral("workspaceMemberId"), K::Uuid},
                                       {QStringLiteral("name"), K::Text},
                                       {QStringLiteral("context"), K::Json}};
    static const QList<SubField> none;
    switch (type) {
    case FieldType::FullName:
        return fullName;
    case FieldType::Emails:
        return emails;
    case FieldType::Links:
        return links;
    case FieldType::Phones:
        return phones;
    case FieldType::Actor:
        return actor;
    default:
        return none;
    }
}

const SubField *findSubField(FieldType type, const QString &name)
{
    for (const SubField &sub : subFieldsOf(type)) {
        if (sub.name == name)
            return &sub;
    }
    return nullptr;
}

bool isCreatableCustomType(FieldType type)
{
    switch (type) {
    case FieldType::Actor:
    case FieldType::Position:
    case FieldType::Relation:
        return false;
    default:
        return true;
    }
}

} // namespace tf::emu
