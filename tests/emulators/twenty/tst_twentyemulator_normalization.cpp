#include "support/emulatorprocess.h"
#include "twentytestclient.h"

#include <QtTest>

using tf::test::TwentyReply;
using tf::test::TwentyTestClient;

namespace {

const QByteArray kKey = "normalization-key";
const QString kPersonObjectId = QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495");

// JSON written with single quotes, which keeps test data readable (and moc's lexer away from raw strings).
QJsonObject parse(const QString &json)
{
    return QJsonDocument::fromJson(QString(json).replace(QLatin1Char('\''), QLatin1Char('"')).toUtf8()).object();
}

} // namespace

// What tf-twenty-emulator does to values on the way in (twenty-rest.md §4.2 validation messages, §4.3 normalisations),
// in both empty-text modes.
class TestTwentyNormalization : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    tf::test::EmulatorProcess m_olderBuild; // --empty-text empty
    std::unique_ptr<TwentyTestClient> m_client;
    std::unique_ptr<TwentyTestClient> m_olderClient;

    static QStringList baseArguments()
    {
        return {QStringLiteral("--api-key"), QString::fromLatin1(kKey), QStringLiteral("--rate-short"), QStringLiteral("1000000/1000"),
                QStringLiteral("--rate-long"), QStringLiteral("1000000/60000")};
    }

    TwentyReply create(const QJsonObject &person, TwentyTestClient *client = nullptr)
    {
        return (client ? client : m_client.get())->post(QStringLiteral("/rest/people"), person);
    }

    static QJsonObject created(const TwentyReply &reply) { return reply.data().value(QStringLiteral("createPerson")).toObject(); }

    void addCustomField(TwentyTestClient &client, const QString &name, const QString &type, const QJsonArray &options = {})
    {
        QJsonObject body{{QStringLiteral("objectMetadataId"), kPersonObjectId},
                         {QStringLiteral("name"), name},
                         {QStringLiteral("label"), name},
                         {QStringLiteral("type"), type}};
        if (!options.isEmpty())
            body.insert(QStringLiteral("options"), options);
        const TwentyReply reply = client.post(QStringLiteral("/rest/metadata/fields"), body);
        QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
    }

private slots:
    void initTestCase()
    {
        QString error = m_emulator.start(QStringLiteral("tf-twenty-emulator"), baseArguments());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = m_olderBuild.start(QStringLiteral("tf-twenty-emulator"),
                                   baseArguments() + QStringList{QStringLiteral("--empty-text"), QStringLiteral("empty")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<TwentyTestClient>(m_emulator.baseUrl(), kKey);
        m_olderClient = std::make_unique<TwentyTestClient>(m_olderBuild.baseUrl(), kKey);
    }

    void init()
    {
        m_client->admin("POST", QStringLiteral("reset"));
        m_olderClient->admin("POST", QStringLiteral("reset"));
    }

    void emailsAreCanonical_data()
    {
        QTest::addColumn<QString>("sent");
        QTest::addColumn<QString>("stored");
        QTest::newRow("spec example") << QStringLiteral("REST-X@💩。LA.") << QStringLiteral("rest-x@xn--ls8h.la");
        QTest::newRow("emoji domain") << QStringLiteral("Admin@💩.LA") << QStringLiteral("admin@xn--ls8h.la");
        QTest::newRow("punycode stays") << QStringLiteral("admin@XN--LS8H.LA") << QStringLiteral("admin@xn--ls8h.la");
        QTest::newRow("trimmed") << QStringLiteral("  Admin@💩。LA.  ") << QStringLiteral("admin@xn--ls8h.la");
        QTest::newRow("full-width dot") << QStringLiteral("Admin@München．DE") << QStringLiteral("admin@xn--mnchen-3ya.de");
        QTest::newRow("halfwidth dot") << QStringLiteral("Admin@München｡DE.") << QStringLiteral("admin@xn--mnchen-3ya.de");
        QTest::newRow("case") << QStringLiteral("Ada@Example.com") << QStringLiteral("ada@example.com");
    }

    void emailsAreCanonical()
    {
        QFETCH(QString, sent);
        QFETCH(QString, stored);
        const TwentyReply reply = create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), sent},
                                                                                {QStringLiteral("additionalEmails"), QJsonArray{sent}}}}});
        QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
        const QJsonObject emails = created(reply).value(QStringLiteral("emails")).toObject();
        QCOMPARE(emails.value(QStringLiteral("primaryEmail")).toString(), stored);
        QCOMPARE(emails.value(QStringLiteral("additionalEmails")).toArray(), QJsonArray{stored});
        // An exact filter on the address compares canonical forms too.
        const TwentyReply found = m_client->get(QStringLiteral("/rest/people") +
                                                TwentyTestClient::query({{QStringLiteral("filter"), QStringLiteral("emails.primaryEmail[eq]:\"%1\"").arg(sent.trimmed())}}));
        QCOMPARE(found.object().value(QStringLiteral("totalCount")).toInt(), 1);
    }

    void emailsAreCanonicalOnUpdateToo()
    {
        const QString id = created(create({})).value(QStringLiteral("id")).toString();
        const TwentyReply reply = m_client->patch(QStringLiteral("/rest/people/") + id,
                                                  QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("GRACE@Navy.MIL")}}}});
        QCOMPARE(reply.data().value(QStringLiteral("updatePerson")).toObject().value(QStringLiteral("emails")).toObject()
                     .value(QStringLiteral("primaryEmail")).toString(),
                 QStringLiteral("grace@navy.mil"));
    }

    void linksLoseTheirTrailingSlash()
    {
        const TwentyReply reply = create(parse("{'linkedinLink':{'primaryLinkUrl':'https://www.LinkedIn.com/in/ada-lovelace/','primaryLinkLabel':'',"
                                                   "'secondaryLinks':[{'url':'https://Test.com/','label':'test'}]},"
                                                   "'xLink':{'primaryLinkUrl':'x.com/ada/'}}"));
        QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
        const QJsonObject person = created(reply);
        const QJsonObject linkedin = person.value(QStringLiteral("linkedinLink")).toObject();
        QCOMPARE(linkedin.value(QStringLiteral("primaryLinkUrl")).toString(), QStringLiteral("https://www.linkedin.com/in/ada-lovelace"));
        QCOMPARE(linkedin.value(QStringLiteral("secondaryLinks")).toArray().first().toObject().value(QStringLiteral("url")).toString(),
                 QStringLiteral("https://test.com"));
        // No scheme, no URL: kept as sent.
        QCOMPARE(person.value(QStringLiteral("xLink")).toObject().value(QStringLiteral("primaryLinkUrl")).toString(), QStringLiteral("x.com/ada/"));
        // An empty primary takes the first secondary link.
        const QJsonObject promoted = created(create(parse("{'linkedinLink':{'primaryLinkUrl':'','secondaryLinks':[{'url':'https://a.example/','label':'A'}]}}")))
                                         .value(QStringLiteral("linkedinLink")).toObject();
        QCOMPARE(promoted.value(QStringLiteral("primaryLinkUrl")).toString(), QStringLiteral("https://a.example"));
        QCOMPARE(promoted.value(QStringLiteral("secondaryLinks")).toArray(), QJsonArray());
    }

    void phonesAreSplitAndInferred_data()
    {
        QTest::addColumn<QString>("phones");
        QTest::addColumn<QString>("number");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("calling");
        QTest::newRow("US") << QStringLiteral("{'primaryPhoneNumber':'+1 415-555-0132'}") << "4155550132" << "US" << "+1";
        QTest::newRow("GB") << QStringLiteral("{'primaryPhoneNumber':'+44 7911 123456'}") << "7911123456" << "GB" << "+44";
        QTest::newRow("DE") << QStringLiteral("{'primaryPhoneNumber':'+49 30 1234567'}") << "301234567" << "DE" << "+49";
        QTest::newRow("FR") << QStringLiteral("{'primaryPhoneNumber':'+33 6 12 34 56 78'}") << "612345678" << "FR" << "+33";
        QTest::newRow("JP") << QStringLiteral("{'primaryPhoneNumber':'+81 3-1234-5678'}") << "312345678" << "JP" << "+81";
        QTest::newRow("AU") << QStringLiteral("{'primaryPhoneNumber':'+61 4 1234 5678'}") << "412345678" << "AU" << "+61";
        QTest::newRow("IN") << QStringLiteral("{'primaryPhoneNumber':'+91 98765 43210'}") << "9876543210" << "IN" << "+91";
        QTest::newRow("ES") << QStringLiteral("{'primaryPhoneNumber':'+34 612 34 56 78'}") << "612345678" << "ES" << "+34";
        QTest::newRow("IT keeps its 0") << QStringLiteral("{'primaryPhoneNumber':'+39 06 1234 5678'}") << "0612345678" << "IT" << "+39";
        QTest::newRow("NL") << QStringLiteral("{'primaryPhoneNumber':'+31 6 12345678'}") << "612345678" << "NL" << "+31";
        QTest::newRow("national with country") << QStringLiteral("{'primaryPhoneNumber':'07911 123456','primaryPhoneCountryCode':'GB'}")
                                               << "7911123456" << "GB" << "+44";
        QTest::newRow("national with calling code") << QStringLiteral("{'primaryPhoneNumber':'030 1234567','primaryPhoneCallingCode':'+49'}")
                                                    << "301234567" << "DE" << "+49";
        QTest::newRow("spec parts") << QStringLiteral("{'primaryPhoneNumber':'7911123456','primaryPhoneCountryCode':'GB','primaryPhoneCallingCode':'+44'}")
                                    << "7911123456" << "GB" << "+44";
        QTest::newRow("shared code keeps the country") << QStringLiteral("{'primaryPhoneNumber':'+1 416 555 0199','primaryPhoneCountryCode':'CA'}")
                                                       << "4165550199" << "CA" << "+1";
    }

    void phonesAreSplitAndInferred()
    {
        QFETCH(QString, phones);
        QFETCH(QString, number);
        QFETCH(QString, country);
        QFETCH(QString, calling);
        const TwentyReply reply = create({{QStringLiteral("phones"), parse(phones)}});
        QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
        const QJsonObject stored = created(reply).value(QStringLiteral("phones")).toObject();
        QCOMPARE(stored.value(QStringLiteral("primaryPhoneNumber")).toString(), number);
        QCOMPARE(stored.value(QStringLiteral("primaryPhoneCountryCode")).toString(), country);
        QCOMPARE(stored.value(QStringLiteral("primaryPhoneCallingCode")).toString(), calling);
        QCOMPARE(stored.value(QStringLiteral("additionalPhones")).toArray(), QJsonArray());
    }

    void phoneConflictsAreRejected_data()
    {
        QTest::addColumn<QString>("phones");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("country vs number") << QStringLiteral("{'primaryPhoneNumber':'+49 30 1234567','primaryPhoneCountryCode':'FR'}")
                                           << "CONFLICTING_PHONE_COUNTRY_CODE" << "Provided and inferred country code are conflicting";
        QTest::newRow("calling code vs number") << QStringLiteral("{'primaryPhoneNumber':'+49 30 1234567','primaryPhoneCallingCode':'+33'}")
                                                << "CONFLICTING_PHONE_CALLING_CODE" << "Provided and inferred calling code are conflicting";
        QTest::newRow("country vs calling code") << QStringLiteral("{'primaryPhoneCountryCode':'US','primaryPhoneCallingCode':'+44'}")
                                                 << "CONFLICTING_PHONE_CALLING_CODE_AND_COUNTRY_CODE"
                                                 << "Provided country code and calling code are conflicting";
        QTest::newRow("no country at all") << QStringLiteral("{'primaryPhoneNumber':'7911123456'}") << "INVALID_PHONE_NUMBER"
                                           << "Provided phone number is invalid 7911123456";
        QTest::newRow("letters") << QStringLiteral("{'primaryPhoneNumber':'+44 call me'}") << "INVALID_PHONE_NUMBER"
                                 << "Provided phone number is invalid +44 call me";
        QTest::newRow("unknown country") << QStringLiteral("{'primaryPhoneNumber':'123456','primaryPhoneCountryCode':'XX'}")
                                         << "INVALID_PHONE_COUNTRY_CODE" << "Invalid country code XX";
        QTest::newRow("unknown calling code") << QStringLiteral("{'primaryPhoneCallingCode':'+999'}") << "INVALID_PHONE_CALLING_CODE"
                                              << "Invalid calling code +999";
        QTest::newRow("additional phone") << QStringLiteral("{'additionalPhones':[{'number':'+49 30 1234567','countryCode':'IT'}]}")
                                          << "CONFLICTING_PHONE_COUNTRY_CODE" << "Provided and inferred country code are conflicting";
    }

    void phoneConflictsAreRejected()
    {
        QFETCH(QString, phones);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const TwentyReply reply = create({{QStringLiteral("phones"), parse(phones)}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.message(), message);
        QCOMPARE(reply.object().value(QStringLiteral("code")).toString(), code);
        QCOMPARE(m_client->get(QStringLiteral("/rest/people")).object().value(QStringLiteral("totalCount")).toInt(), 0);
    }

    void additionalPhonesAreNormalized()
    {
        const QJsonObject phones = created(create(parse("{'phones':{'additionalPhones':[{'number':'+33 6 12 34 56 78'},{'number':'0612345678','countryCode':'FR'}]}}")))
                                       .value(QStringLiteral("phones")).toObject();
        const QJsonObject expected{{QStringLiteral("number"), QStringLiteral("612345678")},
                                   {QStringLiteral("countryCode"), QStringLiteral("FR")},
                                   {QStringLiteral("callingCode"), QStringLiteral("+33")}};
        QCOMPARE(phones.value(QStringLiteral("additionalPhones")).toArray(), (QJsonArray{expected, expected}));
    }

    void emptyTextIsNullInCurrentBuilds()
    {
        const QJsonObject person = created(create(parse("{'jobTitle':'','city':null,'name':{'firstName':'','lastName':'Hopper'},"
                                                          "'emails':{'primaryEmail':'','additionalEmails':null}}")));
        QVERIFY(person.value(QStringLiteral("jobTitle")).isNull());
        QVERIFY(person.value(QStringLiteral("city")).isNull());
        QVERIFY(person.value(QStringLiteral("avatarUrl")).isNull());
        QVERIFY(person.value(QStringLiteral("name")).toObject().value(QStringLiteral("firstName")).isNull());
        QVERIFY(person.value(QStringLiteral("emails")).toObject().value(QStringLiteral("primaryEmail")).isNull());
        QCOMPARE(person.value(QStringLiteral("emails")).toObject().value(QStringLiteral("additionalEmails")).toArray(), QJsonArray());
        QVERIFY(person.value(QStringLiteral("xLink")).toObject().value(QStringLiteral("primaryLinkUrl")).isNull());
    }

    void emptyTextIsEmptyInOlderBuilds()
    {
        addCustomField(*m_olderClient, QStringLiteral("externalId"), QStringLiteral("TEXT"));
        addCustomField(*m_olderClient, QStringLiteral("nickname"), QStringLiteral("TEXT"));
        const QJsonObject person = created(create(parse("{'jobTitle':'','city':null,'name':{'lastName':'Hopper'},'nickname':''}"),
                                                  m_olderClient.get()));
        QCOMPARE(person.value(QStringLiteral("jobTitle")), QJsonValue(QStringLiteral("")));
        QCOMPARE(person.value(QStringLiteral("city")), QJsonValue(QStringLiteral("")));
        QCOMPARE(person.value(QStringLiteral("avatarUrl")), QJsonValue(QStringLiteral("")));
        QCOMPARE(person.value(QStringLiteral("name")).toObject().value(QStringLiteral("firstName")), QJsonValue(QStringLiteral("")));
        QCOMPARE(person.value(QStringLiteral("phones")).toObject().value(QStringLiteral("primaryPhoneCountryCode")), QJsonValue(QStringLiteral("")));
        // A nullable custom text field keeps what it was sent, and null until then.
        QVERIFY(person.value(QStringLiteral("externalId")).isNull());
        QCOMPARE(person.value(QStringLiteral("nickname")), QJsonValue(QStringLiteral("")));
        // "" and NULL are one value in filters.
        const TwentyReply found = m_olderClient->get(QStringLiteral("/rest/people?filter=externalId%5Bis%5D:NULL,jobTitle%5Bis%5D:NULL"));
        QCOMPARE(found.object().value(QStringLiteral("totalCount")).toInt(), 1);
    }

    void validationMessages_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("TEXT") << QStringLiteral("{'jobTitle':1}") << QStringLiteral("Invalid string value 1 for text field \"jobTitle\"");
        QTest::newRow("TEXT object") << QStringLiteral("{'city':{}}") << QStringLiteral("Invalid string value {} for text field \"city\"");
        QTest::newRow("NUMBER") << QStringLiteral("{'leadScore':'string'}") << QStringLiteral("Invalid number value 'string' for field \"leadScore\"");
        QTest::newRow("NUMBER bool") << QStringLiteral("{'leadScore':true}") << QStringLiteral("Invalid number value true for field \"leadScore\"");
        QTest::newRow("DATE_TIME") << QStringLiteral("{'lastContactedAt':'2024'}")
                                   << QStringLiteral("Invalid value '2024' for date-time field \"lastContactedAt\". Expected format: 'YYYY-MM-DDTHH:mm:ssZ'");
        QTest::newRow("DATE_TIME month") << QStringLiteral("{'lastContactedAt':'2024-13-01T10:30:00Z'}")
                                         << QStringLiteral("Invalid value '2024-13-01T10:30:00Z' for date-time field \"lastContactedAt\". Expected format: 'YYYY-MM-DDTHH:mm:ssZ'");
        QTest::newRow("RAW_JSON") << QStringLiteral("{'syncMeta':'not-a-json'}") << QStringLiteral("Invalid object value 'not-a-json' for field \"syncMeta\"");
        QTest::newRow("ARRAY") << QStringLiteral("{'tags':1}") << QStringLiteral("Invalid value 1 for field \"tags - Array values need to be string\"");
        QTest::newRow("ARRAY items") << QStringLiteral("{'tags':['a',2]}") << QStringLiteral("Invalid value [ 'a', 2 ] for field \"tags - Array values need to be string\"");
        QTest::newRow("UUID") << QStringLiteral("{'companyId':'non-uuid'}") << QStringLiteral("Invalid UUID value 'non-uuid' for field \"companyId\"");
        QTest::newRow("BOOLEAN") << QStringLiteral("{'vip':'string'}") << QStringLiteral("Invalid boolean value 'string' for field \"vip\"");
        QTest::newRow("SELECT") << QStringLiteral("{'lifecycleStage':'x'}") << QStringLiteral("Invalid value 'x' for field \"lifecycleStage\"");
        QTest::newRow("MULTI_SELECT") << QStringLiteral("{'interests':['PRODUCT','x']}") << QStringLiteral("Invalid value 'x' for multi select field \"interests\"");
        QTest::newRow("email") << QStringLiteral("{'emails':{'primaryEmail':'not-an-email'}}")
                               << QStringLiteral("Invalid string value 'not-an-email' for email field \"emails.primaryEmail\"");
        QTest::newRow("additional email") << QStringLiteral("{'emails':{'additionalEmails':['ok@example.com','not-an-email']}}")
                                          << QStringLiteral("Invalid string value 'not-an-email' for email field \"emails.additionalEmails\"");
        QTest::newRow("emails sub-field") << QStringLiteral("{'emails':{'work':'a@b.c'}}") << QStringLiteral("Invalid subfield work for emails field \"emails\"");
        QTest::newRow("FULL_NAME") << QStringLiteral("{'name':'not-a-full-name'}") << QStringLiteral("Invalid object value 'not-a-full-name' for field \"name\"");
        QTest::newRow("composite text") << QStringLiteral("{'name':{'firstName':7}}") << QStringLiteral("Invalid string value 7 for text field \"name.firstName\"");
        QTest::newRow("POSITION") << QStringLiteral("{'position':'first'}") << QStringLiteral("Invalid position value 'first' for field \"position\"");
        QTest::newRow("unknown field") << QStringLiteral("{'nickname':'Ada'}") << QStringLiteral("Object person doesn't have any \"nickname\" field.");
        QTest::newRow("relation needs connect") << QStringLiteral("{'company':{'name':'x'}}")
                                                << QStringLiteral("Relation \"company\" requires connect or disconnect operation");
    }

    void validationMessages()
    {
        QFETCH(QString, body);
        QFETCH(QString, message);
        addCustomField(*m_client, QStringLiteral("leadScore"), QStringLiteral("NUMBER"));
        addCustomField(*m_client, QStringLiteral("lastContactedAt"), QStringLiteral("DATE_TIME"));
        addCustomField(*m_client, QStringLiteral("syncMeta"), QStringLiteral("RAW_JSON"));
        addCustomField(*m_client, QStringLiteral("tags"), QStringLiteral("ARRAY"));
        addCustomField(*m_client, QStringLiteral("vip"), QStringLiteral("BOOLEAN"));
        const QJsonArray options{QJsonObject{{QStringLiteral("label"), QStringLiteral("Customer")}, {QStringLiteral("value"), QStringLiteral("CUSTOMER")},
                                             {QStringLiteral("color"), QStringLiteral("green")}, {QStringLiteral("position"), 0}},
                                 QJsonObject{{QStringLiteral("label"), QStringLiteral("Product")}, {QStringLiteral("value"), QStringLiteral("PRODUCT")},
                                             {QStringLiteral("color"), QStringLiteral("blue")}, {QStringLiteral("position"), 1}}};
        addCustomField(*m_client, QStringLiteral("lifecycleStage"), QStringLiteral("SELECT"), options);
        addCustomField(*m_client, QStringLiteral("interests"), QStringLiteral("MULTI_SELECT"), options);
        const TwentyReply reply = create(parse(body));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.object().value(QStringLiteral("error")).toString(), QStringLiteral("BadRequestException"));
        QCOMPARE(reply.message(), message);
    }

    void customValuesRoundTrip()
    {
        addCustomField(*m_client, QStringLiteral("lastContactedAt"), QStringLiteral("DATE_TIME"));
        addCustomField(*m_client, QStringLiteral("syncMeta"), QStringLiteral("RAW_JSON"));
        addCustomField(*m_client, QStringLiteral("relationshipStrength"), QStringLiteral("NUMBER"));
        addCustomField(*m_client, QStringLiteral("tags"), QStringLiteral("ARRAY"));
        // RAW_JSON also takes JSON text.
        QJsonObject body = parse("{'lastContactedAt':'2026-02-28T17:00:00+01:00','relationshipStrength':0.25,'tags':['b','a','b']}");
        body.insert(QStringLiteral("syncMeta"), QStringLiteral("{'origin':'desktop','rev':7}").replace(QLatin1Char('\''), QLatin1Char('"')));
        const QJsonObject person = created(create(body));
        QCOMPARE(person.value(QStringLiteral("lastContactedAt")).toString(), QStringLiteral("2026-02-28T16:00:00.000Z"));
        QCOMPARE(person.value(QStringLiteral("syncMeta")).toObject(), parse("{'origin':'desktop','rev':7}"));
        QCOMPARE(person.value(QStringLiteral("relationshipStrength")).toDouble(), 0.25);
        QCOMPARE(person.value(QStringLiteral("tags")).toArray(), (QJsonArray{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("b")}));
        const QJsonObject arrayJson = created(create({{QStringLiteral("syncMeta"), QJsonArray{1, 2}}}));
        QCOMPARE(arrayJson.value(QStringLiteral("syncMeta")).toArray(), (QJsonArray{1, 2}));
    }
};

QTEST_GUILESS_MAIN(TestTwentyNormalization)
#include "tst_twentyemulator_normalization.moc"
