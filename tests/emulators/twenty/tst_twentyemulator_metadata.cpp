#include "support/emulatorprocess.h"
#include "twentytestclient.h"

#include <QtTest>

using tf::test::TwentyReply;
using tf::test::TwentyTestClient;

namespace {

const QByteArray kKey = "metadata-key";
const QString kPersonObjectId = QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495");
const QString kCompanyId = QStringLiteral("20202020-aa0b-48a9-85ba-e223975696ea");

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// Where two JSON values differ: "path: expected → actual" for values, "path: missing" / "path: extra" for keys.
void differences(const QJsonValue &expected, const QJsonValue &actual, const QString &path, QStringList *found)
{
    if (expected.isObject() && actual.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (!a.contains(it.key()))
                found->append(path + it.key() + QStringLiteral(": missing"));
            else
                differences(it.value(), a.value(it.key()), path + it.key() + QLatin1Char('.'), found);
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!e.contains(it.key()))
                found->append(path + it.key() + QStringLiteral(": extra"));
        }
    } else if (expected.isArray() && actual.isArray() && expected.toArray().size() == actual.toArray().size()) {
        for (qsizetype i = 0; i < expected.toArray().size(); ++i)
            differences(expected.toArray().at(i), actual.toArray().at(i), path + QString::number(i) + QLatin1Char('.'), found);
    } else if (expected != actual) {
        QString name = path;
        name.chop(1);
        found->append(name);
    }
}

bool sameType(const QJsonValue &a, const QJsonValue &b)
{
    return a.isNull() || b.isNull() || a.type() == b.type();
}

} // namespace

// The metadata API (twenty-rest.md §4.2) and the replay of the spec's verbatim examples (§2.3, §3.2, §5) against
// tf-twenty-emulator's answers.
class TestTwentyMetadata : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<TwentyTestClient> m_client;

    TwentyReply addField(const QJsonObject &field, TwentyTestClient *client = nullptr)
    {
        QJsonObject body = field;
        body.insert(QStringLiteral("objectMetadataId"), kPersonObjectId);
        if (!body.contains(QStringLiteral("label")))
            body.insert(QStringLiteral("label"), field.value(QStringLiteral("name")));
        return (client ? client : m_client.get())->post(QStringLiteral("/rest/metadata/fields"), body);
    }

    static QString fieldId(const TwentyReply &reply)
    {
        return reply.data().value(QStringLiteral("createOneField")).toObject().value(QStringLiteral("id")).toString();
    }

    QJsonObject onlyPerson() { return m_client->get(QStringLiteral("/rest/people")).data().value(QStringLiteral("people")).toArray().first().toObject(); }

    // The custom fields the spec's §2.3 example carries.
    void addSpecFields(TwentyTestClient &client)
    {
        const auto option = [](const char *value, int position) {
            return QJsonObject{{QStringLiteral("label"), QString::fromLatin1(value)}, {QStringLiteral("value"), QString::fromLatin1(value)},
                               {QStringLiteral("color"), QStringLiteral("green")}, {QStringLiteral("position"), position}};
        };
        const QList<QJsonObject> fields{
            {{QStringLiteral("name"), QStringLiteral("externalId")}, {QStringLiteral("type"), QStringLiteral("TEXT")}},
            {{QStringLiteral("name"), QStringLiteral("leadScore")}, {QStringLiteral("type"), QStringLiteral("NUMBER")}},
            {{QStringLiteral("name"), QStringLiteral("lifecycleStage")}, {QStringLiteral("type"), QStringLiteral("SELECT")},
             {QStringLiteral("options"), QJsonArray{option("LEAD", 0), option("CUSTOMER", 1)}}},
            {{QStringLiteral("name"), QStringLiteral("interests")}, {QStringLiteral("type"), QStringLiteral("MULTI_SELECT")},
             {QStringLiteral("options"), QJsonArray{option("PRODUCT", 0), option("EVENTS", 1)}}},
            {{QStringLiteral("name"), QStringLiteral("lastContactedAt")}, {QStringLiteral("type"), QStringLiteral("DATE_TIME")}},
            {{QStringLiteral("name"), QStringLiteral("syncMeta")}, {QStringLiteral("type"), QStringLiteral("RAW_JSON")}},
        };
        for (const QJsonObject &field : fields) {
            const TwentyReply reply = addField(field, &client);
            QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
        }
        const TwentyReply company = client.post(QStringLiteral("/rest/companies"),
                                                QJsonObject{{QStringLiteral("id"), kCompanyId}, {QStringLiteral("name"), QStringLiteral("Analytical Engines")}});
        QVERIFY2(company.status == 201, qPrintable(company.describe()));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!TwentyTestClient::specExample(QStringLiteral("spec-2.3-list-response.json")).isEmpty(), "testdata/ not found under TF_SOURCE_DIR");
        const QString error = m_emulator.start(QStringLiteral("tf-twenty-emulator"),
                                               {QStringLiteral("--api-key"), QStringLiteral("Desktop Sync=metadata-key"),
                                                QStringLiteral("--rate-short"), QStringLiteral("1000000/1000"),
                                                QStringLiteral("--rate-long"), QStringLiteral("1000000/60000")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<TwentyTestClient>(m_emulator.baseUrl(), kKey);
    }

    void init()
    {
        m_client->admin("POST", QStringLiteral("reset"));
    }

    void objectsComeInTheLegacyEnvelope()
    {
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/metadata/objects"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.object().value(QStringLiteral("totalCount")).toInt(), 2);
        QVERIFY(reply.object().value(QStringLiteral("pageInfo")).toObject().contains(QStringLiteral("hasNextPage")));
        QJsonObject person;
        for (const QJsonValue &object : reply.data().value(QStringLiteral("objects")).toArray()) {
            if (object.toObject().value(QStringLiteral("nameSingular")).toString() == QLatin1String("person"))
                person = object.toObject();
        }
        QCOMPARE(person.value(QStringLiteral("id")).toString(), kPersonObjectId);
        QCOMPARE(person.value(QStringLiteral("namePlural")).toString(), QStringLiteral("people"));
        const TwentyReply one = m_client->get(QStringLiteral("/rest/metadata/objects/") + kPersonObjectId);
        QCOMPARE(one.data().value(QStringLiteral("object")).toObject().value(QStringLiteral("nameSingular")).toString(), QStringLiteral("person"));
    }

    void createdFieldsBecomeTopLevelKeys()
    {
        // The request body of §4.2.
        const TwentyReply created = addField({{QStringLiteral("type"), QStringLiteral("TEXT")},
                                              {QStringLiteral("name"), QStringLiteral("externalId")},
                                              {QStringLiteral("label"), QStringLiteral("External ID")},
                                              {QStringLiteral("description"), QStringLiteral("Id in the desktop sync source")},
                                              {QStringLiteral("isNullable"), true},
                                              {QStringLiteral("isLabelSyncedWithName"), false}});
        QCOMPARE(created.status, 201);
        const QJsonObject field = created.data().value(QStringLiteral("createOneField")).toObject();
        QCOMPARE(field.value(QStringLiteral("name")).toString(), QStringLiteral("externalId"));
        QCOMPARE(field.value(QStringLiteral("type")).toString(), QStringLiteral("TEXT"));
        QCOMPARE(field.value(QStringLiteral("objectMetadataId")).toString(), kPersonObjectId);
        QCOMPARE(field.value(QStringLiteral("isCustom")).toBool(), true);
        QCOMPARE(field.value(QStringLiteral("isActive")).toBool(), true);
        QCOMPARE(field.value(QStringLiteral("description")).toString(), QStringLiteral("Id in the desktop sync source"));

        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject()).status, 201);
        QVERIFY(onlyPerson().value(QStringLiteral("externalId")).isNull());
        const QString id = onlyPerson().value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->patch(QStringLiteral("/rest/people/") + id, QJsonObject{{QStringLiteral("externalId"), QStringLiteral("qt-sync-000123")}}).status, 200);
        QCOMPARE(onlyPerson().value(QStringLiteral("externalId")).toString(), QStringLiteral("qt-sync-000123"));
        const TwentyReply filtered = m_client->get(QStringLiteral("/rest/people?filter=externalId%5Beq%5D:qt-sync-000123"));
        QCOMPARE(filtered.object().value(QStringLiteral("totalCount")).toInt(), 1);

        const TwentyReply one = m_client->get(QStringLiteral("/rest/metadata/fields/") + field.value(QStringLiteral("id")).toString().toUpper());
        QCOMPARE(one.data().value(QStringLiteral("field")).toObject(), field);
    }

    void fieldListsPage()
    {
        const TwentyReply first = m_client->get(QStringLiteral("/rest/metadata/fields?limit=2"));
        QCOMPARE(first.status, 200);
        const int total = first.object().value(QStringLiteral("totalCount")).toInt();
        QVERIFY(total > 20); // the standard fields of both objects
        QCOMPARE(first.data().value(QStringLiteral("fields")).toArray().size(), 2);
        const QJsonObject pageInfo = first.object().value(QStringLiteral("pageInfo")).toObject();
        QCOMPARE(pageInfo.value(QStringLiteral("hasNextPage")).toBool(), true);
        QCOMPARE(pageInfo.value(QStringLiteral("hasPreviousPage")).toBool(), false);
        const TwentyReply second = m_client->get(QStringLiteral("/rest/metadata/fields?limit=2&starting_after=")
                                                 + pageInfo.value(QStringLiteral("endCursor")).toString());
        QCOMPARE(second.object().value(QStringLiteral("totalCount")).toInt(), total);
        const QJsonArray a = first.data().value(QStringLiteral("fields")).toArray(), b = second.data().value(QStringLiteral("fields")).toArray();
        for (const QJsonValue &x : a) {
            for (const QJsonValue &y : b)
                QVERIFY(x.toObject().value(QStringLiteral("id")) != y.toObject().value(QStringLiteral("id")));
        }
        const TwentyReply back = m_client->get(QStringLiteral("/rest/metadata/fields?limit=2&ending_before=")
                                               + second.object().value(QStringLiteral("pageInfo")).toObject().value(QStringLiteral("startCursor")).toString());
        QCOMPARE(back.data().value(QStringLiteral("fields")).toArray(), a);
        const QString uuid = QStringLiteral("00000000-0000-4000-8000-000000000000");
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/fields?starting_after=%1&ending_before=%1").arg(uuid)).status, 400);
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/fields?starting_after=not-a-uuid")).status, 400);
    }

    void badFieldDefinitionsAreRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("message");
        QTest::newRow("standard name") << QStringLiteral("city") << QStringLiteral("TEXT") << QStringLiteral("Name \"city\" is not available");
        QTest::newRow("join column") << QStringLiteral("companyId") << QStringLiteral("UUID") << QStringLiteral("Name \"companyId\" is not available");
        QTest::newRow("not camelCase") << QStringLiteral("Tf Id") << QStringLiteral("TEXT") << QStringLiteral("Name should be in camelCase: 'Tf Id'");
        QTest::newRow("empty name") << QString() << QStringLiteral("TEXT") << QStringLiteral("\"name\" must be a non-empty string");
        QTest::newRow("unknown type") << QStringLiteral("money") << QStringLiteral("CURRENCY")
                                      << QStringLiteral("Field type CURRENCY cannot be created through tf-twenty-emulator's metadata API");
        QTest::newRow("select without options") << QStringLiteral("stage") << QStringLiteral("SELECT")
                                                << QStringLiteral("Options are required for SELECT fields");
    }

    void badFieldDefinitionsAreRejected()
    {
        QFETCH(QString, name);
        QFETCH(QString, type);
        QFETCH(QString, message);
        const TwentyReply reply = addField({{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("label"), QStringLiteral("x")}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.message(), message);
    }

    void duplicateNamesAreRejected()
    {
        const QJsonObject field{{QStringLiteral("name"), QStringLiteral("externalId")}, {QStringLiteral("type"), QStringLiteral("TEXT")}};
        QCOMPARE(addField(field).status, 201);
        const TwentyReply again = addField(field);
        QCOMPARE(again.status, 400);
        QCOMPARE(again.message(), QStringLiteral("Name \"externalId\" is not available"));
        QCOMPARE(m_client->post(QStringLiteral("/rest/metadata/fields"), QJsonObject{{QStringLiteral("name"), QString()}}).status, 400);
    }

    void renamingAFieldMovesItsValues()
    {
        const QString id = fieldId(addField({{QStringLiteral("name"), QStringLiteral("nick")}, {QStringLiteral("type"), QStringLiteral("TEXT")}}));
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("nick"), QStringLiteral("Countess")}}).status, 201);
        const TwentyReply renamed = m_client->patch(QStringLiteral("/rest/metadata/fields/") + id, QJsonObject{{QStringLiteral("name"), QStringLiteral("nickname")}});
        QCOMPARE(renamed.status, 200);
        QCOMPARE(renamed.data().value(QStringLiteral("updateOneField")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("nickname"));
        QCOMPARE(onlyPerson().value(QStringLiteral("nickname")).toString(), QStringLiteral("Countess"));
        QVERIFY(!onlyPerson().contains(QStringLiteral("nick")));
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("nick"), QStringLiteral("x")}}).message(),
                 QStringLiteral("Object person doesn't have any \"nick\" field."));
        // PUT is PATCH; a label change is all a standard field allows.
        const QString cityId = [&] {
            for (const QJsonValue &f : m_client->get(QStringLiteral("/rest/metadata/fields?limit=1000")).data().value(QStringLiteral("fields")).toArray()) {
                if (f.toObject().value(QStringLiteral("name")) == QLatin1String("city") && f.toObject().value(QStringLiteral("objectMetadataId")) == kPersonObjectId)
                    return f.toObject().value(QStringLiteral("id")).toString();
            }
            return QString();
        }();
        QCOMPARE(m_client->send("PUT", QStringLiteral("/rest/metadata/fields/") + cityId, QJsonObject{{QStringLiteral("label"), QStringLiteral("Town")}}).status, 200);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/metadata/fields/") + cityId, QJsonObject{{QStringLiteral("name"), QStringLiteral("town")}}).status, 400);
    }

    void uniquenessWaitsForCleanData()
    {
        const QString id = fieldId(addField({{QStringLiteral("name"), QStringLiteral("tfContactId")}, {QStringLiteral("type"), QStringLiteral("TEXT")}}));
        const QJsonObject same{{QStringLiteral("tfContactId"), QStringLiteral("c-1")}};
        const QString first = m_client->post(QStringLiteral("/rest/people"), same).data().value(QStringLiteral("createPerson")).toObject()
                                  .value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), same).status, 201);
        const TwentyReply refused = m_client->patch(QStringLiteral("/rest/metadata/fields/") + id, QJsonObject{{QStringLiteral("isUnique"), true}});
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.message().startsWith(QStringLiteral("could not create unique index")), qPrintable(refused.describe()));
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/fields/") + id).data().value(QStringLiteral("field")).toObject()
                     .value(QStringLiteral("isUnique")).toBool(),
                 false);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/people/") + first, QJsonObject{{QStringLiteral("tfContactId"), QStringLiteral("c-0")}}).status, 200);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/metadata/fields/") + id, QJsonObject{{QStringLiteral("isUnique"), true}}).status, 200);
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), same).status, 400);
    }

    void deactivatedFieldsDisappearAndDeletedOnesLoseTheirValues()
    {
        const QString id = fieldId(addField({{QStringLiteral("name"), QStringLiteral("department")}, {QStringLiteral("type"), QStringLiteral("TEXT")}}));
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("department"), QStringLiteral("R&D")}}).status, 201);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/metadata/fields/") + id, QJsonObject{{QStringLiteral("isActive"), false}}).status, 200);
        QVERIFY(!onlyPerson().contains(QStringLiteral("department")));
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("department"), QStringLiteral("x")}}).status, 400);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/metadata/fields/") + id, QJsonObject{{QStringLiteral("isActive"), true}}).status, 200);
        QCOMPARE(onlyPerson().value(QStringLiteral("department")).toString(), QStringLiteral("R&D"));

        const TwentyReply deleted = m_client->del(QStringLiteral("/rest/metadata/fields/") + id);
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.data().value(QStringLiteral("deleteOneField")).toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/fields/") + id).status, 404);
        QVERIFY(!onlyPerson().contains(QStringLiteral("department")));
        addField({{QStringLiteral("name"), QStringLiteral("department")}, {QStringLiteral("type"), QStringLiteral("TEXT")}});
        QVERIFY(onlyPerson().value(QStringLiteral("department")).isNull());
    }

    void unknownFieldIds()
    {
        const QString unknown = QStringLiteral("7b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e");
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/fields/") + unknown).status, 404);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/metadata/fields/") + unknown, QJsonObject{{QStringLiteral("label"), QStringLiteral("x")}}).status, 400);
        QCOMPARE(m_client->del(QStringLiteral("/rest/metadata/fields/") + unknown).status, 404);
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/fields/not-a-uuid")).status, 400);
    }

    void specListResponseIsReproduced()
    {
        // An older build keeps "" (the example's empty strings); the API key is called "Desktop Sync".
        tf::test::EmulatorProcess olderBuild;
        const QString error = olderBuild.start(QStringLiteral("tf-twenty-emulator"),
                                               {QStringLiteral("--api-key"), QStringLiteral("Desktop Sync=metadata-key"),
                                                QStringLiteral("--empty-text"), QStringLiteral("empty")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        TwentyTestClient client(olderBuild.baseUrl(), kKey);
        addSpecFields(client);
        const QJsonObject expected = json(TwentyTestClient::specExample(QStringLiteral("spec-2.3-list-response.json")));
        const QJsonArray people = expected.value(QStringLiteral("data")).toObject().value(QStringLiteral("people")).toArray();
        QCOMPARE(people.size(), 2);
        for (qsizetype i = 0; i < people.size(); ++i) {
            QJsonObject input = people.at(i).toObject();
            const QString updatedAt = input.take(QStringLiteral("updatedAt")).toString();
            for (const char *serverSet : {"updatedBy", "deletedAt"})
                input.remove(QLatin1String(serverSet));
            if (i == 0)
                input.remove(QStringLiteral("createdBy")); // the API key's own
            client.admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), updatedAt}});
            const TwentyReply created = client.post(QStringLiteral("/rest/people"), input);
            QVERIFY2(created.status == 201, qPrintable(created.describe()));
        }
        client.admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), QStringLiteral("2026-03-03T00:00:00.000Z")}});
        QCOMPARE(client.post(QStringLiteral("/rest/people"), QJsonObject()).status, 201); // so that there is a next page

        const TwentyReply actual = client.get(QStringLiteral("/rest/people") +
                                              TwentyTestClient::query({{QStringLiteral("limit"), QStringLiteral("2")},
                                                                       {QStringLiteral("order_by"), QStringLiteral("updatedAt[AscNullsFirst]")},
                                                                       {QStringLiteral("filter"), QStringLiteral("updatedAt[gte]:\"2026-03-01T00:00:00.000Z\"")}}));
        QCOMPARE(actual.status, 200);
        QStringList found;
        differences(expected, actual.object(), QString(), &found);
        // The example counts 137 people, and Grace was last updated in the UI, not through an API key.
        const QStringList allowed{QStringLiteral("data.people.1.updatedBy.context"), QStringLiteral("data.people.1.updatedBy.name"),
                                  QStringLiteral("data.people.1.updatedBy.source"),
                                  QStringLiteral("data.people.1.updatedBy.workspaceMemberId"), QStringLiteral("totalCount")};
        found.sort();
        QCOMPARE(found, allowed);
        QCOMPARE(actual.object().value(QStringLiteral("totalCount")).toInt(), 3);
        const QJsonObject grace = actual.data().value(QStringLiteral("people")).toArray().at(1).toObject().value(QStringLiteral("updatedBy")).toObject();
        const QJsonObject graceExpected = people.at(1).toObject().value(QStringLiteral("updatedBy")).toObject();
        for (auto it = graceExpected.begin(); it != graceExpected.end(); ++it)
            QVERIFY2(sameType(it.value(), grace.value(it.key())), qPrintable(it.key()));
    }

    void specCreateRequestIsAccepted()
    {
        addSpecFields(*m_client);
        const QJsonObject request = json(TwentyTestClient::specExample(QStringLiteral("spec-3.2-create-request.json")));
        QVERIFY(!request.isEmpty());
        const TwentyReply reply = m_client->post(QStringLiteral("/rest/people"), request);
        QCOMPARE(reply.status, 201);
        const QJsonObject person = reply.data().value(QStringLiteral("createPerson")).toObject();
        QCOMPARE(person.value(QStringLiteral("emails")).toObject(),
                 (QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ada@example.com")}, {QStringLiteral("additionalEmails"), QJsonArray()}}));
        for (const char *same : {"id", "name", "phones", "jobTitle", "city", "companyId", "externalId"})
            QCOMPARE(person.value(QLatin1String(same)), request.value(QLatin1String(same)));
        // The record has exactly the keys, and the value types, of a §2.3 record.
        const QJsonObject example = json(TwentyTestClient::specExample(QStringLiteral("spec-2.3-list-response.json")))
                                        .value(QStringLiteral("data")).toObject().value(QStringLiteral("people")).toArray().first().toObject();
        QCOMPARE(person.keys(), example.keys());
        for (auto it = example.begin(); it != example.end(); ++it)
            QVERIFY2(sameType(it.value(), person.value(it.key())), qPrintable(it.key()));
    }

    void specErrorBodiesAreReproduced_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("apiKey");
        QTest::addColumn<int>("status");
        QTest::newRow("validation") << "validation" << QByteArray("POST") << "/rest/people"
                                    << QByteArray("{\"emails\":{\"primaryEmail\":\"not-an-email\"}}") << kKey << 400;
        QTest::newRow("unique") << "unique" << QByteArray("POST") << "/rest/people"
                                << QByteArray("{\"emails\":{\"primaryEmail\":\"ada@example.com\"}}") << kKey << 400;
        QTest::newRow("limit") << "limit" << QByteArray("GET") << "/rest/people?limit=abc" << QByteArray() << kKey << 400;
        QTest::newRow("order_by") << "order-by" << QByteArray("GET") << "/rest/people?order_by=city%5BDESC%5D" << QByteArray() << kKey << 400;
        QTest::newRow("object") << "object" << QByteArray("GET") << "/rest/person" << QByteArray() << kKey << 400;
        QTest::newRow("401") << "401" << QByteArray("GET") << "/rest/people" << QByteArray() << QByteArray("expired-key") << 401;
        QTest::newRow("403") << "403" << QByteArray("GET") << "/rest/people" << QByteArray() << QByteArray() << 403;
        QTest::newRow("404") << "404" << QByteArray("GET") << "/rest/people/7a2d4e90-1c3b-4f8a-b6d2-9e0f1a2b3c4d" << QByteArray() << kKey << 404;
    }

    void specErrorBodiesAreReproduced()
    {
        QFETCH(QString, example);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, apiKey);
        QFETCH(int, status);
        m_client->post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ada@example.com")}}}});
        m_client->setApiKey(apiKey);
        const TwentyReply reply = m_client->sendRaw(method, path, body);
        m_client->setApiKey(kKey);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.object(), json(TwentyTestClient::specExample(QStringLiteral("spec-5-error-%1.json").arg(example))));
    }
};

QTEST_GUILESS_MAIN(TestTwentyMetadata)
#include "tst_twentyemulator_metadata.moc"
