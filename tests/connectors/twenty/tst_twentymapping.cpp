#include "connectors/twenty/callingcodes.h"
#include "connectors/twenty/personmapper.h"
#include "connectors/twenty/phonesplitter.h"
#include "connectors/twenty/twentyfilter.h"
#include "core/connector.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "support/testcontacts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QtTest>

using namespace tf;

// The pure parts of the crm connector: phones, the person mapping both ways, filter building. What Twenty itself
// does to the values is tested against the emulator in tst_twentyconnector.
class TestTwentyMapping : public QObject
{
    Q_OBJECT

    static const QString kPersonId;

    // What Twenty adds to a body it stores: server-set fields (§4.1).
    static QJsonObject asStored(QJsonObject body)
    {
        body.insert(QStringLiteral("updatedAt"), QStringLiteral("2026-03-02T09:15:27.118Z"));
        body.insert(QStringLiteral("createdAt"), QStringLiteral("2026-02-27T01:17:29.464Z"));
        body.insert(QStringLiteral("deletedAt"), QJsonValue::Null);
        return body;
    }

    static Contact withCrmId(Contact contact, const QString &crmId)
    {
        contact.setValue(field::CrmId, crmId);
        return contact;
    }

    // §2.3's first record, with the contract's custom fields, as a realistic depth-0 answer.
    static QJsonObject specPerson()
    {
        return QJsonDocument::fromJson(R"json({
            "id": "3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11",
            "name": { "firstName": "Ada", "lastName": "Lovelace" },
            "emails": { "primaryEmail": "ada@example.com", "additionalEmails": ["ada.l@analytical.example"] },
            "linkedinLink": { "primaryLinkUrl": "https:\/\/www.linkedin.com\/in\/ada-lovelace", "primaryLinkLabel": "", "secondaryLinks": [] },
            "jobTitle": "Chief Analyst",
            "phones": { "primaryPhoneNumber": "7911123456", "primaryPhoneCountryCode": "GB", "primaryPhoneCallingCode": "+44",
                        "additionalPhones": [ { "number": "4155550100", "countryCode": "US", "callingCode": "+1" },
                                              { "number": "30123456", "countryCode": "DE", "callingCode": "" } ] },
            "city": "London", "avatarUrl": "", "position": 1,
            "createdBy": { "source": "API", "workspaceMemberId": null, "name": "Desktop Sync", "context": {} },
            "createdAt": "2026-02-27T01:17:29.464Z", "updatedAt": "2026-03-02T09:15:27.118Z", "deletedAt": null,
            "companyId": "20202020-aa0b-48a9-85ba-e223975696ea",
            "tfContactId": "018f0000-0000-7000-8000-000000000001",
            "externalRef": "qt-sync-000123", "relationshipStrength": 0.75, "tags": ["vip", "board"],
            "sourceCreatedAt": "2024-01-15T10:30:00.000Z", "llmSummary": { "text": "x", "n": [1, 2] },
            "notes": "", "nickname": null, "interests": ["PRODUCT"]
        })json").object();
    }

private slots:
    void callingCodes()
    {
        QCOMPARE(CallingCodes::prefixOf(QStringLiteral("447911123456")), QStringLiteral("44"));
        QCOMPARE(CallingCodes::prefixOf(QStringLiteral("14155550100")), QStringLiteral("1"));
        QCOMPARE(CallingCodes::prefixOf(QStringLiteral("3531234567")), QStringLiteral("353"));
        QCOMPARE(CallingCodes::prefixOf(QStringLiteral("2812345")), QString()); // +28x is unassigned
        QCOMPARE(CallingCodes::countryOf(QStringLiteral("44")), QStringLiteral("GB"));
        QCOMPARE(CallingCodes::callingCodeOf(QStringLiteral("ca")), QStringLiteral("1"));
        QCOMPARE(CallingCodes::callingCodeOf(QStringLiteral("JE")), QStringLiteral("44"));
    }

    void splitPhones_data()
    {
        QTest::addColumn<QString>("phone");
        QTest::addColumn<QString>("number");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("calling");
        QTest::newRow("GB") << "+447911123456" << "7911123456" << "GB" << "+44";
        QTest::newRow("spaces, trunk zero") << "+44 (0) 79-11 123 456" << "7911123456" << "GB" << "+44";
        QTest::newRow("US") << "+1 (415) 555-0100" << "4155550100" << "US" << "+1";
        QTest::newRow("three-digit code") << "+353 1 234 5678" << "12345678" << "IE" << "+353";
        QTest::newRow("00 prefix") << "0049 30 123456" << "30123456" << "DE" << "+49";
    }
    void splitPhones()
    {
        QFETCH(QString, phone);
        QFETCH(QString, number);
        QFETCH(QString, country);
        QFETCH(QString, calling);
        QString error;
        const std::optional<PhoneParts> parts = PhoneSplitter::split(phone, &error);
        QVERIFY2(parts, qPrintable(error));
        QCOMPARE(parts->number, number);
        QCOMPARE(parts->countryCode, country);
        QCOMPARE(parts->callingCode, calling);
        QCOMPARE(PhoneSplitter::join(*parts), ContactNormalizer::normalizedPhone(phone));
    }

    void phonesTwentyCannotHoldAreRefusedWithAReason()
    {
        QString error;
        QVERIFY(!PhoneSplitter::split(QStringLiteral("+2812345678"), &error));
        QVERIFY2(error.contains(QStringLiteral("+2812345678")) && error.contains(QStringLiteral("calling code")),
                 qPrintable(error));
        QVERIFY(!PhoneSplitter::split(QStringLiteral("+4479111234567890123"), &error));
        QVERIFY2(error.contains(QStringLiteral("E.164")), qPrintable(error));
        QVERIFY(!PhoneSplitter::split(QStringLiteral("07911 123456"), &error));
        QVERIFY2(error.contains(QStringLiteral("no country calling code")), qPrintable(error));
        QVERIFY(!PhoneSplitter::split(QStringLiteral("+44"), &error));
        QVERIFY(!PhoneSplitter::split(QStringLiteral("n/a"), &error));
    }

    void joinsWhatPeopleTypeIntoTwenty()
    {
        // Only the country picked in Twenty's UI: its calling code is implied.
        QCOMPARE(PhoneSplitter::join({QStringLiteral("30 123456"), QStringLiteral("DE"), QString()}),
                 QStringLiteral("+4930123456"));
        // The whole international number typed into the number box.
        QCOMPARE(PhoneSplitter::join({QStringLiteral("+44 7911 123456"), QString(), QString()}),
                 QStringLiteral("+447911123456"));
        QCOMPARE(PhoneSplitter::join({QStringLiteral("7911123456"), QStringLiteral("GB"), QStringLiteral("44")}),
                 QStringLiteral("+447911123456"));
        QCOMPARE(PhoneSplitter::join({QString(), QStringLiteral("GB"), QStringLiteral("+44")}), QString());
    }

    void readsARecordAsTwentySendsIt()
    {
        const Contact c = PersonMapper::fromPerson(specPerson(), QStringLiteral("Analytical Engines Ltd"));
        QCOMPARE(c.id(), QStringLiteral("018f0000-0000-7000-8000-000000000001"));
        QCOMPARE(c.text(field::CrmId), QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        QCOMPARE(c.text(QStringLiteral("given_name")), QStringLiteral("Ada"));
        QCOMPARE(c.text(QStringLiteral("family_name")), QStringLiteral("Lovelace"));
        QCOMPARE(c.text(QStringLiteral("job_title")), QStringLiteral("Chief Analyst"));
        QCOMPARE(c.text(field::Organization), QStringLiteral("Analytical Engines Ltd"));
        QCOMPARE(c.list(field::Emails), (QStringList{QStringLiteral("ada@example.com"), QStringLiteral("ada.l@analytical.example")}));
        QCOMPARE(c.list(field::Phones), (QStringList{QStringLiteral("+447911123456"), QStringLiteral("+14155550100"),
                                                     QStringLiteral("+4930123456")}));
        QCOMPARE(c.value(QStringLiteral("relationship_strength")).toDouble(), 0.75);
        QCOMPARE(c.list(QStringLiteral("tags")), (QStringList{QStringLiteral("vip"), QStringLiteral("board")}));
        QCOMPARE(c.timestamp(field::CreatedAt), QDateTime(QDate(2024, 1, 15), QTime(10, 30), Qt::UTC));
        QCOMPARE(c.timestamp(field::UpdatedAt), QDateTime(QDate(2026, 3, 2), QTime(9, 15, 27, 118), Qt::UTC));
        QCOMPARE(c.json(QStringLiteral("llm_summary")).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("x"));
        QVERIFY(c.isNull(FieldRegistry::indexOf(QStringLiteral("notes"))));    // "" is NULL (§4.3)
        QVERIFY(c.isNull(FieldRegistry::indexOf(QStringLiteral("nickname"))));
        QVERIFY(!c.isDeleted());
        QCOMPARE(PersonMapper::companyId(specPerson()), QStringLiteral("20202020-aa0b-48a9-85ba-e223975696ea"));
    }

    void bodiesCarryEveryCompositeWhole()
    {
        Contact bare;
        bare.setId(QStringLiteral("c-1"));
        QString error;
        const std::optional<QJsonObject> body = PersonMapper::toPerson(bare, kPersonId, QString(), &error);
        QVERIFY2(body, qPrintable(error));
        // §9 #14: a partial composite update corrupts data, so even empty composites go with every sub-field.
        QCOMPARE(body->value(QStringLiteral("name")).toObject().keys(),
                 (QStringList{QStringLiteral("firstName"), QStringLiteral("lastName")}));
        QCOMPARE(body->value(QStringLiteral("emails")).toObject().keys(),
                 (QStringList{QStringLiteral("additionalEmails"), QStringLiteral("primaryEmail")}));
        QCOMPARE(body->value(QStringLiteral("phones")).toObject().size(), 4);
        QCOMPARE(body->value(QStringLiteral("id")).toString(), kPersonId);
        QCOMPARE(body->value(QStringLiteral("tfContactId")).toString(), QStringLiteral("c-1"));
        QVERIFY(body->value(QStringLiteral("companyId")).isNull());
        QVERIFY(!body->contains(QStringLiteral("updatedAt"))); // server-set
        QVERIFY(!body->contains(QStringLiteral("deletedAt")));
        // Every custom field of the contract is in every body, NULL included, so an update clears what was cleared.
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            const TwentyMapping mapping = spec.twentyMapping();
            if (mapping.custom)
                QVERIFY2(body->contains(mapping.name), qPrintable(mapping.name));
        }
    }

    void writesValuesInTheFormTwentyStores()
    {
        Contact c;
        c.setId(QStringLiteral("c-2"));
        c.setValue(field::Emails, QStringList{QStringLiteral("Jörg@Bücher.Example"), QStringLiteral("B@X.org")});
        c.setValue(field::Phones, QStringList{QStringLiteral("+44 7911 123456"), QStringLiteral("+1 415 555 0100")});
        c.setValue(QStringLiteral("job_title"), QString(""));
        c.setValue(QStringLiteral("given_name"), QStringLiteral("Jörg"));
        QString error;
        const QJsonObject body = *PersonMapper::toPerson(c, kPersonId, QStringLiteral("company-1"), &error);
        const QJsonObject emails = body.value(QStringLiteral("emails")).toObject();
        QCOMPARE(emails.value(QStringLiteral("primaryEmail")).toString(), QStringLiteral("jörg@xn--bcher-kva.example"));
        QCOMPARE(emails.value(QStringLiteral("additionalEmails")).toArray(), (QJsonArray{QStringLiteral("b@x.org")}));
        const QJsonObject phones = body.value(QStringLiteral("phones")).toObject();
        QCOMPARE(phones.value(QStringLiteral("primaryPhoneNumber")).toString(), QStringLiteral("7911123456"));
        QCOMPARE(phones.value(QStringLiteral("primaryPhoneCountryCode")).toString(), QStringLiteral("GB"));
        QCOMPARE(phones.value(QStringLiteral("primaryPhoneCallingCode")).toString(), QStringLiteral("+44"));
        QCOMPARE(phones.value(QStringLiteral("additionalPhones")).toArray(),
                 (QJsonArray{QJsonObject{{QStringLiteral("number"), QStringLiteral("4155550100")},
                                         {QStringLiteral("countryCode"), QStringLiteral("US")},
                                         {QStringLiteral("callingCode"), QStringLiteral("+1")}}}));
        QVERIFY(body.value(QStringLiteral("jobTitle")).isNull()); // "" is stored as null (§4.3)
        QCOMPARE(body.value(QStringLiteral("companyId")).toString(), QStringLiteral("company-1"));
    }

    void generatedContactsMapBothWaysWithoutLoss()
    {
        ContactGenerator generator(20260301);
        QList<Contact> contacts = generator.take(300);
        contacts.append(test::hostileContact(QStringLiteral("hostile-1")));
        for (const Contact &contact : std::as_const(contacts)) {
            QString error;
            const std::optional<QJsonObject> body = PersonMapper::toPerson(contact, kPersonId, QStringLiteral("co"), &error);
            QVERIFY2(body, qPrintable(error));
            // Through JSON text, as on the wire.
            const QJsonObject wire = QJsonDocument::fromJson(QJsonDocument(asStored(*body)).toJson()).object();
            const Contact back = PersonMapper::fromPerson(wire, contact.text(field::Organization));
            const Contact sent = withCrmId(contact, kPersonId);
            QVERIFY2(ContentHash::of(back) == ContentHash::of(sent),
                     qPrintable(contact.id() + QLatin1Char(' ') + test::differingFields(sent, back).join(QLatin1Char(','))));
        }
    }

    void aTombstoneMapsBackAsDeleted()
    {
        QJsonObject person = specPerson();
        person.insert(QStringLiteral("deletedAt"), QStringLiteral("2026-03-03T08:00:00.000Z"));
        const Contact c = PersonMapper::fromPerson(person, QString());
        QVERIFY(c.isDeleted());
        QCOMPARE(c.timestamp(field::DeletedAt), QDateTime(QDate(2026, 3, 3), QTime(8, 0), Qt::UTC));
    }

    void wrongTypesNameThePersonAndTheField_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("path");
        QTest::newRow("tags") << "tags" << QJsonValue(5) << "tags";
        QTest::newRow("tag item") << "tags" << QJsonValue(QJsonArray{QStringLiteral("a"), 1}) << "tags";
        QTest::newRow("number") << "relationshipStrength" << QJsonValue(QStringLiteral("high")) << "relationshipStrength";
        QTest::newRow("date") << "sourceCreatedAt" << QJsonValue(QStringLiteral("yesterday")) << "sourceCreatedAt";
        QTest::newRow("text") << "externalRef" << QJsonValue(QJsonObject{}) << "externalRef";
        QTest::newRow("name") << "name" << QJsonValue(QStringLiteral("Ada Lovelace")) << "name";
        QTest::newRow("emails") << "emails" << QJsonValue(QJsonObject{{QStringLiteral("primaryEmail"), 7}})
                                << "emails.primaryEmail";
        QTest::newRow("phones") << "phones" << QJsonValue(QJsonObject{{QStringLiteral("additionalPhones"), QStringLiteral("x")}})
                                << "phones.additionalPhones";
        QTest::newRow("updatedAt") << "updatedAt" << QJsonValue(12) << "updatedAt";
    }
    void wrongTypesNameThePersonAndTheField()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, path);
        QJsonObject person = specPerson();
        person.insert(key, value);
        try {
            PersonMapper::fromPerson(person, QString());
            QFAIL("a wrong type was accepted");
        } catch (const ConnectorError &error) {
            const QString what = QString::fromUtf8(error.what());
            QVERIFY2(what.startsWith(QStringLiteral("crm: person 3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11: '") + path + QLatin1Char('\'')),
                     qPrintable(what));
        }
    }

    void filtersQuoteWhatTheGrammarCarries()
    {
        QCOMPARE(TwentyFilter::equals(QStringLiteral("name"), QStringLiteral("Forge & Co")),
                 QStringLiteral("name[eq]:\"Forge & Co\""));
        // No escape exists in the grammar: grammar characters become LIKE's one-character wildcard.
        QCOMPARE(TwentyFilter::equals(QStringLiteral("name"), QStringLiteral("Smith, \"Jones\" (UK)")),
                 QStringLiteral("name[like]:\"Smith_ _Jones_ _UK_\""));
        QCOMPARE(TwentyFilter::equals(QStringLiteral("name"), QStringLiteral(" padded ")),
                 QStringLiteral("name[like]:\"_padded_\""));
        QCOMPARE(TwentyFilter::anyOf(QStringLiteral("tfContactId"), {QStringLiteral("a"), QStringLiteral("b")}),
                 QStringLiteral("tfContactId[in]:[\"a\",\"b\"]"));
        QCOMPARE(TwentyFilter::anyOf(QStringLiteral("e"), {QStringLiteral("a"), QStringLiteral("o'b@x.org")}),
                 QStringLiteral("or(e[in]:[\"a\"],e[like]:\"o_b@x.org\")"));
        QCOMPARE(TwentyFilter::includingDeleted(QStringLiteral("x[eq]:1")),
                 QStringLiteral("and(x[eq]:1,or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL))"));
        QCOMPARE(TwentyFilter::atLeast(QStringLiteral("updatedAt"), QDateTime(QDate(2026, 3, 1), QTime(0, 0, 0, 5), Qt::UTC)),
                 QStringLiteral("updatedAt[gte]:\"2026-03-01T00:00:00.005Z\""));
        const QString longName(500, QLatin1Char('x'));
        QCOMPARE(TwentyFilter::equals(QStringLiteral("name"), longName),
                 QStringLiteral("name[like]:\"") + QString(200, QLatin1Char('x')) + QStringLiteral("%\""));
        // Found by fuzz_twenty_filter: the 200-character prefix cut an emoji in two, and the pattern (sent as
        // UTF-8, the half as U+FFFD) no longer matched the value.
        const QString emojiAt199 = QString(199, QLatin1Char('x')) + QStringLiteral("\U0001F4A9 and more");
        const QString filter = TwentyFilter::equals(QStringLiteral("name"), emojiAt199);
        QCOMPARE(filter, QStringLiteral("name[like]:\"") + QString(199, QLatin1Char('x')) + QStringLiteral("%\""));
        QCOMPARE(QString::fromUtf8(filter.toUtf8()), filter);
    }

    void chunkedFiltersStayWithinTheBudget()
    {
        QStringList ids;
        for (int i = 0; i < 500; ++i)
            ids.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
        const QStringList filters = TwentyFilter::anyOfChunked({{QStringLiteral("tfContactId"), ids},
                                                                 {QStringLiteral("emails.primaryEmail"), {QStringLiteral("a@b.c"), QString()}}},
                                                                4000);
        QVERIFY(filters.size() > 1);
        int found = 0;
        for (const QString &filter : filters) {
            QVERIFY2(QUrl::toPercentEncoding(filter).size() <= 4000, qPrintable(QString::number(filter.size())));
            for (const QString &id : std::as_const(ids))
                found += filter.contains(id) ? 1 : 0;
        }
        QCOMPARE(found, ids.size());
        QVERIFY(filters.last().contains(QStringLiteral("emails.primaryEmail[in]:[\"a@b.c\"]")));
        QVERIFY(TwentyFilter::anyOfChunked({{QStringLiteral("id"), {}}}).isEmpty());
    }
};

const QString TestTwentyMapping::kPersonId = QStringLiteral("7a2d4e90-1c3b-4f8a-b6d2-9e0f1a2b3c4d");

QTEST_GUILESS_MAIN(TestTwentyMapping)
#include "tst_twentymapping.moc"
