#include "core/contactgenerator.h"

#include "core/uuid7.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

namespace tf {

namespace {

const QStringList kGiven = {QStringLiteral("Ada"),    QStringLiteral("Grace"),  QStringLiteral("Zoë"),
                            QStringLiteral("Łukasz"), QStringLiteral("Håkon"),  QStringLiteral("Nguyễn"),
                            QStringLiteral("محمد"),   QStringLiteral("さくら"), QStringLiteral("Olúwásẹ̀un"),
                            QStringLiteral("O'Brien")};
const QStringList kFamily = {QStringLiteral("Lovelace"), QStringLiteral("Hopper"),  QStringLiteral("Müller"),
                             QStringLiteral("García"),   QStringLiteral("Kowalski"), QStringLiteral("Østergaard"),
                             QStringLiteral("van der Berg"), QStringLiteral("李"),   QStringLiteral("Smith-Jones")};
const QStringList kOrgs = {QStringLiteral("Analytical Engines Ltd"), QStringLiteral("Navy Research"),
                           QStringLiteral("Forge & Co"), QStringLiteral("Café Ørsted"), QString()};
const QStringList kRelationships = {QStringLiteral("family"), QStringLiteral("friend"), QStringLiteral("colleague"),
                                    QStringLiteral("client")};
const QStringList kTags = {QStringLiteral("vip"), QStringLiteral("newsletter"), QStringLiteral("🚀 launch"),
                           QStringLiteral("board"), QStringLiteral("press")};

} // namespace

ContactGenerator::ContactGenerator(quint32 seed)
    : m_seed(seed)
{
}

Contact ContactGenerator::next()
{
    const int n = m_serial++;
    QRandomGenerator random(m_seed * 7919u + quint32(n));
    const auto pick = [&random](const QStringList &list) { return list.at(int(random.bounded(list.size()))); };

    Contact c;
    const QDateTime created = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC)
                                  .addSecs(qint64(random.bounded(60 * 60 * 24 * 600)))
                                  .addMSecs(random.bounded(1000));
    c.setId(createUuid7(created, &random));
    const QString given = pick(kGiven);
    const QString family = pick(kFamily);
    c.setValue(QStringLiteral("given_name"), given);
    c.setValue(QStringLiteral("family_name"), family);
    c.setValue(QStringLiteral("full_name"), given + QLatin1Char(' ') + family);
    c.setValue(QStringLiteral("display_name"), given + QLatin1Char(' ') + family.left(1) + QLatin1Char('.'));
    if (n % 3 == 0)
        c.setValue(QStringLiteral("middle_name"), QStringLiteral("Marie"));
    if (n % 7 == 0)
        c.setValue(QStringLiteral("name_prefix"), QStringLiteral("Dr."));
    if (n % 11 == 0)
        c.setValue(QStringLiteral("name_suffix"), QStringLiteral("Jr."));
    if (n % 4 == 0)
        c.setValue(QStringLiteral("nickname"), given.left(3));
    if (n % 9 == 0)
        c.setValue(QStringLiteral("phonetic_name"), given.toLower());
    c.setValue(QStringLiteral("external_ref"), QStringLiteral("ext-%1-%2").arg(m_seed).arg(n));
    c.setValue(field::Organization, pick(kOrgs));
    c.setValue(QStringLiteral("job_title"), n % 2 ? QStringLiteral("Engineer") : QStringLiteral("Director"));
    if (n % 5 != 0)
        c.setValue(QStringLiteral("department"), QStringLiteral("R&D"));
    c.setValue(QStringLiteral("relationship_type"), pick(kRelationships));
    c.setValue(QStringLiteral("relationship_category"), n % 2 ? QStringLiteral("work") : QStringLiteral("personal"));
    if (n % 6 != 0)
        c.setValue(QStringLiteral("relationship_strength"), double(random.bounded(1001)) / 1000.0);
    QStringList tags;
    for (int i = 0, count = int(random.bounded(4)); i < count; ++i)
        tags.append(pick(kTags));
    c.setValue(QStringLiteral("tags"), tags);
    if (n % 8 == 0)
        c.setValue(QStringLiteral("notes"), QStringLiteral("Met at \"the forge\" — follow up; path C:\\tmp\\x 🙂"));
    c.setValue(field::CreatedAt, created);
    c.setValue(field::UpdatedAt, created.addDays(int(random.bounded(30))));
    c.setValue(QStringLiteral("llm_summary"),
               QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("text"), QStringLiteral("Knows %1").arg(family)},
                                                          {QStringLiteral("confidence"), 0.5 + (n % 5) / 10.0}})));
    c.setValue(QStringLiteral("llm_topics"),
               QVariant::fromValue(QJsonValue(QJsonArray{pick(kTags), QStringLiteral("engines")})));
    if (n % 2 == 0)
        c.setValue(QStringLiteral("communication_stats"),
                   QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("emails"), int(random.bounded(500))},
                                                              {QStringLiteral("meetings"), int(random.bounded(40))}})));
    if (n % 3 == 1)
        c.setValue(QStringLiteral("ai_insights"),
                   QVariant::fromValue(QJsonValue(QJsonObject{
                       {QStringLiteral("nested"), QJsonObject{{QStringLiteral("level"), 2},
                                                              {QStringLiteral("list"), QJsonArray{1, 2, 3}}}}})));
    if (n % 4 == 2)
        c.setValue(QStringLiteral("social_network"),
                   QVariant::fromValue(QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("contact"), QStringLiteral("peer")},
                                                                         {QStringLiteral("strength"), 0.25}}})));
    // Unique per seed and serial: Twenty keeps primaryEmail unique (twenty-rest.md §9 #9).
    QStringList emails{QStringLiteral("contact%1.%2@example.com").arg(m_seed).arg(n)};
    if (n % 3 == 0)
        emails.append(QStringLiteral("alt%1@example.org").arg(n));
    c.setValue(field::Emails, emails);
    QStringList phones;
    if (n % 4 != 3)
        phones.append(QStringLiteral("+4479%1").arg(11000000 + n % 8999999));
    if (n % 10 == 0)
        phones.append(QStringLiteral("+1415555%1").arg(1000 + n % 8999));
    c.setValue(field::Phones, phones);
    return c;
}

QList<Contact> ContactGenerator::take(int count)
{
    QList<Contact> contacts;
    contacts.reserve(count);
    for (int i = 0; i < count; ++i)
        contacts.append(next());
    return contacts;
}

} // namespace tf
