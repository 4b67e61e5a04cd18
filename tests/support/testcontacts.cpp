#include "support/testcontacts.h"

#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <QJsonObject>

namespace tf::test {

Contact hostileContact(const QString &contactId)
{
    Contact c;
    c.setId(contactId);
    c.setValue(QStringLiteral("given_name"), QStringLiteral("O'Reilly \"Bobby\"; DROP TABLE contacts;--"));
    c.setValue(QStringLiteral("family_name"), QStringLiteral("Back\\slash \\N \\t tab\there"));
    c.setValue(QStringLiteral("full_name"), QStringLiteral("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀👩‍👩‍👧 漢字 عربى"));
    c.setValue(QStringLiteral("nickname"), QStringLiteral("{\"not\":\"json\"} [1,2] $1 ? :name"));
    c.setValue(QStringLiteral("display_name"), QStringLiteral("line1\nline2\r\nline3 \x01\x1f"));
    c.setValue(QStringLiteral("notes"), QString(1024 * 1024, QLatin1Char('n')) + QStringLiteral("🙂end"));
    c.setValue(QStringLiteral("tags"), QStringList{QStringLiteral("a,b"), QStringLiteral("\"quoted\""),
                                                   QStringLiteral("{braces}"), QStringLiteral("back\\slash"),
                                                   QStringLiteral("NULL")});
    c.setValue(QStringLiteral("relationship_strength"), 0.1 + 0.2);
    c.setValue(QStringLiteral("llm_summary"),
               QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("quote'\"\\"), QStringLiteral("😀\u0001")},
                                                          {QStringLiteral("deep"), QJsonArray{QJsonObject{{QStringLiteral("x"), QJsonArray{1, 2.5, true}}}}}})));
    c.setValue(field::Emails, QStringList{QStringLiteral("O'Brien+tag@Example.COM")});
    c.setValue(field::Phones, QStringList{QStringLiteral("+44 (0) 79-11 123 456")});
    c.setValue(field::CreatedAt, QDateTime(QDate(1999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC));
    return c;
}

QStringList differingFields(const Contact &a, const Contact &b, bool contentOnly)
{
    QStringList fields;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (contentOnly && !spec.isContent())
            continue;
        if (!ContactNormalizer::valuesEqual(spec, a.value(spec.index), b.value(spec.index)))
            fields.append(spec.name);
    }
    return fields;
}

} // namespace tf::test
