#include "support/emulatorprocess.h"
#include "twentytestclient.h"

#include <QtTest>

using tf::test::TwentyReply;
using tf::test::TwentyTestClient;

namespace {

const QByteArray kKey = "records-key";
const QByteArray kOtherKey = "other-key";
const QString kPersonObjectId = QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495");

QStringList ids(const QJsonArray &records)
{
    QStringList list;
    for (const QJsonValue &record : records)
        list.append(record.toObject().value(QStringLiteral("id")).toString());
    return list;
}

} // namespace

// Records through tf-twenty-emulator's core REST API: auth, routes and envelopes, writes and their stamps,
// deletes, unique keys, batches and upserts, relations (twenty-rest.md §1, §3, §5, §9).
class TestTwentyRecords : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<TwentyTestClient> m_client;

    TwentyReply create(const QJsonObject &person, const QString &query = {})
    {
        return m_client->post(QStringLiteral("/rest/people") + query, person);
    }

    QJsonObject created(const TwentyReply &reply) { return reply.data().value(QStringLiteral("createPerson")).toObject(); }

    int count(const QString &filter = {})
    {
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/people")
                                                + (filter.isEmpty() ? QString()
                                                                    : TwentyTestClient::query({{QStringLiteral("filter"), filter}})));
        return reply.object().value(QStringLiteral("totalCount")).toInt(-1);
    }

    void freezeClock(const QString &instant) { m_client->admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), instant}}); }

    bool addCustomField(const QJsonObject &field)
    {
        QJsonObject body = field;
        body.insert(QStringLiteral("objectMetadataId"), kPersonObjectId);
        body.insert(QStringLiteral("label"), field.value(QStringLiteral("name")));
        return m_client->post(QStringLiteral("/rest/metadata/fields"), body).status == 201;
    }

private slots:
    void initTestCase()
    {
        const QString error = m_emulator.start(QStringLiteral("tf-twenty-emulator"),
                                               {QStringLiteral("--api-key"), QStringLiteral("Desktop Sync=records-key"),
                                                QStringLiteral("--api-key"), QStringLiteral("Other Tool=other-key"),
                                                QStringLiteral("--rate-short"), QStringLiteral("1000000/1000"),
                                                QStringLiteral("--rate-long"), QStringLiteral("1000000/60000")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<TwentyTestClient>(m_emulator.baseUrl(), kKey);
    }

    void init()
    {
        m_client->setApiKey(kKey);
        m_client->admin("POST", QStringLiteral("reset"));
        m_client->admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), QJsonValue()}, {QStringLiteral("offsetMs"), 0}});
    }

    void missingTokenIsForbidden()
    {
        m_client->setApiKey({});
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/people"));
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.object(), QJsonDocument::fromJson(R"({"statusCode":403,"error":"FORBIDDEN_EXCEPTION","messages":["Missing authentication token"]})").object());
    }

    void unknownTokenIsUnauthenticated()
    {
        m_client->setApiKey("not-a-key");
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/people"));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.object(), QJsonDocument::fromJson(R"({"statusCode":401,"error":"UNAUTHENTICATED","messages":["Token invalid."]})").object());
    }

    void singularObjectNameGetsAHint()
    {
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/person"));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.message(), QStringLiteral("object 'person' not found. Did you mean 'people'?"));
        QCOMPARE(m_client->get(QStringLiteral("/rest/company")).message(),
                 QStringLiteral("object 'company' not found. Did you mean 'companies'?"));
    }

    void createAnswersTheFullRecord()
    {
        const TwentyReply reply = create({{QStringLiteral("name"), QJsonObject{{QStringLiteral("firstName"), QStringLiteral("Ada")}}},
                                          {QStringLiteral("city"), QStringLiteral("London")}});
        QCOMPARE(reply.status, 201);
        const QJsonObject person = created(reply);
        for (const char *key : {"id", "name", "emails", "linkedinLink", "xLink", "jobTitle", "phones", "city", "avatarUrl",
                                "position", "createdBy", "updatedBy", "createdAt", "updatedAt", "deletedAt", "companyId"}) {
            QVERIFY2(person.contains(QLatin1String(key)), key);
        }
        QVERIFY(!person.contains(QStringLiteral("company"))); // depth 0
        QCOMPARE(person.value(QStringLiteral("name")).toObject().value(QStringLiteral("firstName")).toString(), QStringLiteral("Ada"));
        QVERIFY(person.value(QStringLiteral("name")).toObject().contains(QStringLiteral("lastName")));
        QCOMPARE(person.value(QStringLiteral("emails")).toObject().value(QStringLiteral("additionalEmails")).toArray(), QJsonArray());
        QVERIFY(person.value(QStringLiteral("position")).isDouble());
        QVERIFY(person.value(QStringLiteral("deletedAt")).isNull());
        QCOMPARE(person.value(QStringLiteral("createdAt")), person.value(QStringLiteral("updatedAt")));
        const QJsonObject api{{QStringLiteral("source"), QStringLiteral("API")},
                              {QStringLiteral("workspaceMemberId"), QJsonValue()},
                              {QStringLiteral("name"), QStringLiteral("Desktop Sync")},
                              {QStringLiteral("context"), QJsonObject()}};
        QCOMPARE(person.value(QStringLiteral("createdBy")).toObject(), api);
        QCOMPARE(person.value(QStringLiteral("updatedBy")).toObject(), api);
        QVERIFY(QUuid::fromString(person.value(QStringLiteral("id")).toString()).version() == QUuid::Random);

        const TwentyReply found = m_client->get(QStringLiteral("/rest/people/") + person.value(QStringLiteral("id")).toString());
        QCOMPARE(found.status, 200);
        QCOMPARE(found.data().value(QStringLiteral("person")).toObject(), person);
    }

    void createdByNamesTheCallingKeyAndKeepsAClientSource()
    {
        m_client->setApiKey(kOtherKey);
        QCOMPARE(created(create({})).value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("Other Tool"));
        const QJsonObject person = created(create({{QStringLiteral("createdBy"), QJsonObject{{QStringLiteral("source"), QStringLiteral("EMAIL")}}}}));
        QCOMPARE(person.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("EMAIL"));
        QVERIFY(person.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("workspaceMemberId")).isNull());
        QCOMPARE(person.value(QStringLiteral("updatedBy")).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("API"));
    }

    void existingIdIsRejected()
    {
        const QJsonObject body{{QStringLiteral("id"), QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11")}};
        QCOMPARE(create(body).status, 201);
        const TwentyReply again = create(body);
        QCOMPARE(again.status, 400);
        QCOMPARE(again.object().value(QStringLiteral("error")).toString(), QStringLiteral("BadRequestException"));
        QVERIFY2(again.message().contains(QStringLiteral("Record already exists")), qPrintable(again.describe()));
    }

    void clientIdsMustBeUuidVersionsOneToFive()
    {
        QCOMPARE(create({{QStringLiteral("id"), QStringLiteral("6F9619FF-8B86-1011-B42D-00C04FC964FF")}}).status, 201); // v1
        QCOMPARE(m_client->get(QStringLiteral("/rest/people/6f9619ff-8b86-1011-b42d-00c04fc964ff")).status, 200);
        const QString v7 = QStringLiteral("01890a5d-ac96-774b-bcce-b302099a8057");
        const TwentyReply rejected = create({{QStringLiteral("id"), v7}});
        QCOMPARE(rejected.status, 400);
        QCOMPARE(rejected.message(), QStringLiteral("Invalid UUID value '%1' for field \"id\"").arg(v7));
        QCOMPARE(count(), 1);
    }

    void getByIdAnswers404AndRejectsMalformedIds()
    {
        const TwentyReply missing = m_client->get(QStringLiteral("/rest/people/7a2d4e90-1c3b-4f8a-b6d2-9e0f1a2b3c4d"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.object(), QJsonDocument::fromJson(R"({"statusCode":404,"error":"NotFoundException","messages":["Record not found"]})").object());
        const TwentyReply malformed = m_client->get(QStringLiteral("/rest/people/malformed-uuid"));
        QCOMPARE(malformed.status, 400);
        QVERIFY(malformed.message().contains(QStringLiteral("'malformed-uuid' is not a valid UUID")));
    }

    void updatesStampUpdatedAtOncePerRequest()
    {
        freezeClock(QStringLiteral("2026-02-27T01:17:29.464Z"));
        m_client->setApiKey(kOtherKey);
        const QJsonObject person = created(create({{QStringLiteral("jobTitle"), QStringLiteral("Analyst")}}));
        const QString path = QStringLiteral("/rest/people/") + person.value(QStringLiteral("id")).toString();
        m_client->setApiKey(kKey);
        freezeClock(QStringLiteral("2026-03-02T09:15:27.118Z"));
        const TwentyReply patched = m_client->patch(path, QJsonObject{{QStringLiteral("jobTitle"), QStringLiteral("Chief Analyst")}});
        QCOMPARE(patched.status, 200);
        const QJsonObject updated = patched.data().value(QStringLiteral("updatePerson")).toObject();
        QCOMPARE(updated.value(QStringLiteral("jobTitle")).toString(), QStringLiteral("Chief Analyst"));
        QCOMPARE(updated.value(QStringLiteral("updatedAt")).toString(), QStringLiteral("2026-03-02T09:15:27.118Z"));
        QCOMPARE(updated.value(QStringLiteral("createdAt")).toString(), QStringLiteral("2026-02-27T01:17:29.464Z"));
        QCOMPARE(updated.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Other Tool"));
        QCOMPARE(updated.value(QStringLiteral("updatedBy")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Desktop Sync"));

        // An update that changes nothing still stamps (UPDATE ... SET "updatedAt" = CURRENT_TIMESTAMP).
        freezeClock(QStringLiteral("2026-03-02T09:15:28.000Z"));
        const TwentyReply put = m_client->send("PUT", path, QJsonObject{{QStringLiteral("jobTitle"), QStringLiteral("Chief Analyst")}});
        QCOMPARE(put.status, 200);
        QCOMPARE(put.data().value(QStringLiteral("updatePerson")).toObject().value(QStringLiteral("updatedAt")).toString(),
                 QStringLiteral("2026-03-02T09:15:28.000Z"));

        // A batch of many records shares one timestamp.
        QJsonArray batch;
        for (int i = 0; i < 5; ++i)
            batch.append(QJsonObject{{QStringLiteral("city"), QStringLiteral("City %1").arg(i)}});
        m_client->admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), QJsonValue()}});
        const QJsonArray people = m_client->post(QStringLiteral("/rest/batch/people"), batch).data().value(QStringLiteral("createPeople")).toArray();
        QCOMPARE(people.size(), 5);
        for (const QJsonValue &p : people)
            QCOMPARE(p.toObject().value(QStringLiteral("updatedAt")), people.first().toObject().value(QStringLiteral("updatedAt")));
    }

    void updatingUnknownOrTrashedRecordsIs404()
    {
        const TwentyReply reply = m_client->patch(QStringLiteral("/rest/people/7a2d4e90-1c3b-4f8a-b6d2-9e0f1a2b3c4d"),
                                                  QJsonObject{{QStringLiteral("city"), QStringLiteral("x")}});
        QCOMPARE(reply.status, 404);
        const QString id = created(create({})).value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->del(QStringLiteral("/rest/people/%1?soft_delete=true").arg(id)).status, 200);
        QCOMPARE(m_client->patch(QStringLiteral("/rest/people/") + id, QJsonObject{{QStringLiteral("city"), QStringLiteral("x")}}).status, 404);
    }

    void deleteDestroysUnlessSoftDeleteIsExactlyTrue()
    {
        const QString id = created(create({})).value(QStringLiteral("id")).toString();
        const TwentyReply notSoft = m_client->del(QStringLiteral("/rest/people/%1?soft_delete=TRUE").arg(id));
        QCOMPARE(notSoft.status, 200);
        QCOMPARE(notSoft.data().value(QStringLiteral("deletePerson")).toObject(), (QJsonObject{{QStringLiteral("id"), id}}));
        QCOMPARE(m_client->get(QStringLiteral("/rest/people/") + id).status, 404);
        QCOMPARE(count(QStringLiteral("or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)")), 0);
        QCOMPARE(m_client->del(QStringLiteral("/rest/people/") + id).status, 404);
    }

    void softDeleteHidesAndRestoreBringsBack()
    {
        freezeClock(QStringLiteral("2026-03-02T10:00:00.000Z"));
        const QString id = created(create({{QStringLiteral("city"), QStringLiteral("Paris")}})).value(QStringLiteral("id")).toString();
        freezeClock(QStringLiteral("2026-03-02T11:00:00.000Z"));
        const TwentyReply deleted = m_client->del(QStringLiteral("/rest/people/%1?soft_delete=true").arg(id));
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.data().value(QStringLiteral("deletePerson")).toObject().value(QStringLiteral("deletedAt")).toString(),
                 QStringLiteral("2026-03-02T11:00:00.000Z"));
        QCOMPARE(m_client->get(QStringLiteral("/rest/people/") + id).status, 404);
        QCOMPARE(count(), 0);
        QCOMPARE(count(QStringLiteral("deletedAt[gte]:\"2026-03-02T11:00:00.000Z\"")), 1);
        QCOMPARE(count(QStringLiteral("or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)")), 1);

        const TwentyReply restored = m_client->patch(QStringLiteral("/rest/people/%1/restore").arg(id), QJsonObject());
        QCOMPARE(restored.status, 200);
        QVERIFY(restored.data().value(QStringLiteral("restorePerson")).toObject().value(QStringLiteral("deletedAt")).isNull());
        QCOMPARE(m_client->get(QStringLiteral("/rest/people/") + id).status, 200);
        QCOMPARE(count(), 1);
    }

    void bulkWritesNeedAFilter()
    {
        for (const char *city : {"Paris", "Paris", "Rome"})
            create({{QStringLiteral("city"), QLatin1String(city)}});
        QCOMPARE(m_client->del(QStringLiteral("/rest/people")).message(), QStringLiteral("Filters are mandatory for bulk destroy operations"));
        QCOMPARE(m_client->del(QStringLiteral("/rest/people?soft_delete=true")).message(),
                 QStringLiteral("Filters are mandatory for bulk delete operations"));
        QCOMPARE(m_client->patch(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("city"), QStringLiteral("x")}}).status, 400);

        const QString rome = TwentyTestClient::query({{QStringLiteral("filter"), QStringLiteral("city[eq]:Rome")}});
        const TwentyReply updated = m_client->patch(QStringLiteral("/rest/people") + rome, QJsonObject{{QStringLiteral("jobTitle"), QStringLiteral("Consul")}});
        QCOMPARE(updated.data().value(QStringLiteral("updatePeople")).toArray().size(), 1);
        const QString paris = TwentyTestClient::query({{QStringLiteral("filter"), QStringLiteral("city[eq]:Paris")},
                                                       {QStringLiteral("soft_delete"), QStringLiteral("true")}});
        QCOMPARE(m_client->del(QStringLiteral("/rest/people") + paris).data().value(QStringLiteral("deletePeople")).toArray().size(), 2);
        QCOMPARE(count(), 1);
        QCOMPARE(count(QStringLiteral("deletedAt[is]:NOT_NULL")), 2);
    }

    void uniqueEmailCoversSoftDeletedRows()
    {
        const QString id = created(create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ada@example.com")}}}}))
                               .value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->del(QStringLiteral("/rest/people/%1?soft_delete=true").arg(id)).status, 200);
        const TwentyReply duplicate = create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ADA@Example.COM")}}}});
        QCOMPARE(duplicate.status, 400);
        QCOMPARE(duplicate.object(), QJsonDocument::fromJson("{\"statusCode\":400,\"error\":\"BadRequestException\",\"messages\":[\"duplicate key "
                                                         "value violates unique constraint \\\"IDX_UNIQUE_87914cd3ce963115f8cb943e2ac\\\"\"]}")
                     .object());
        // Empty emails never collide.
        QCOMPARE(create({}).status, 201);
        QCOMPARE(create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("")}}}}).status, 201);
        // Destroying the trashed row frees the address (the maintainers' advice, §9 #9).
        QCOMPARE(m_client->del(QStringLiteral("/rest/people/") + id).status, 200);
        QCOMPARE(create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ADA@Example.COM")}}}}).status, 201);
    }

    void uniqueCustomFieldIsEnforced()
    {
        QVERIFY(addCustomField({{QStringLiteral("name"), QStringLiteral("tfContactId")}, {QStringLiteral("type"), QStringLiteral("TEXT")},
                                {QStringLiteral("isUnique"), true}}));
        QCOMPARE(create({{QStringLiteral("tfContactId"), QStringLiteral("c-1")}}).status, 201);
        const TwentyReply duplicate = create({{QStringLiteral("tfContactId"), QStringLiteral("c-1")}});
        QCOMPARE(duplicate.status, 400);
        QVERIFY2(duplicate.message().startsWith(QStringLiteral("duplicate key value violates unique constraint \"IDX_UNIQUE_")),
                 qPrintable(duplicate.describe()));
    }

    void batchBodyRules()
    {
        QCOMPARE(m_client->post(QStringLiteral("/rest/batch/people"), QJsonObject()).message(), QStringLiteral("Body must be an array"));
        QCOMPARE(m_client->post(QStringLiteral("/rest/batch/people"), QJsonArray()).message(), QStringLiteral("Input must not be empty"));
        QJsonArray sixtyOne;
        for (int i = 0; i < 61; ++i)
            sixtyOne.append(QJsonObject{{QStringLiteral("city"), QString::number(i)}});
        const TwentyReply tooMany = m_client->post(QStringLiteral("/rest/batch/people"), sixtyOne);
        QCOMPARE(tooMany.status, 400);
        QCOMPARE(tooMany.message(), QStringLiteral("Maximum number of records to upsert is 60."));
        sixtyOne.removeLast();
        const TwentyReply sixty = m_client->post(QStringLiteral("/rest/batch/people"), sixtyOne);
        QCOMPARE(sixty.status, 201);
        QCOMPARE(sixty.data().value(QStringLiteral("createPeople")).toArray().size(), 60);
        QCOMPARE(count(), 60);
    }

    void batchIsAtomic()
    {
        create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("taken@example.com")}}}});
        QJsonArray batch;
        for (int i = 0; i < 10; ++i)
            batch.append(QJsonObject{{QStringLiteral("city"), QString::number(i)}});
        batch.append(QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("TAKEN@example.com")}}}});
        QCOMPARE(m_client->post(QStringLiteral("/rest/batch/people"), batch).status, 400);
        QCOMPARE(count(), 1);
        batch.removeLast();
        batch.append(QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("not-an-email")}}}});
        QCOMPARE(m_client->post(QStringLiteral("/rest/batch/people"), batch).status, 400);
        QCOMPARE(count(), 1);
        // Two new records with one address collide inside the batch, too.
        const QJsonObject same{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("twin@example.com")}}}};
        QCOMPARE(m_client->post(QStringLiteral("/rest/batch/people?upsert=true"), QJsonArray{same, same}).status, 400);
        QCOMPARE(count(), 1);
    }

    void upsertResurrectsAndKeepsCreatedBy()
    {
        m_client->setApiKey(kOtherKey);
        freezeClock(QStringLiteral("2026-01-01T00:00:00.000Z"));
        const QJsonObject original = created(create({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("grace@example.com")}}},
                                                     {QStringLiteral("city"), QStringLiteral("Arlington")}}));
        const QString id = original.value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->del(QStringLiteral("/rest/people/%1?soft_delete=true").arg(id)).status, 200);

        m_client->setApiKey(kKey);
        freezeClock(QStringLiteral("2026-01-02T00:00:00.000Z"));
        const QJsonArray batch{QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("Grace@Example.com")}}},
                                           {QStringLiteral("city"), QStringLiteral("New York")},
                                           {QStringLiteral("createdBy"), QJsonObject{{QStringLiteral("source"), QStringLiteral("IMPORT")}}}},
                               QJsonObject{{QStringLiteral("city"), QStringLiteral("Fresh")}}};
        const TwentyReply reply = m_client->post(QStringLiteral("/rest/batch/people?upsert=true"), batch);
        QCOMPARE(reply.status, 201);
        const QJsonArray people = reply.data().value(QStringLiteral("createPeople")).toArray();
        QCOMPARE(people.size(), 2);
        const QJsonObject resurrected = people.at(0).toObject();
        QCOMPARE(resurrected.value(QStringLiteral("id")).toString(), id);
        QVERIFY(resurrected.value(QStringLiteral("deletedAt")).isNull());
        QCOMPARE(resurrected.value(QStringLiteral("city")).toString(), QStringLiteral("New York"));
        QCOMPARE(resurrected.value(QStringLiteral("createdBy")), original.value(QStringLiteral("createdBy")));
        QCOMPARE(resurrected.value(QStringLiteral("updatedBy")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Desktop Sync"));
        QCOMPARE(resurrected.value(QStringLiteral("createdAt")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        QCOMPARE(resurrected.value(QStringLiteral("updatedAt")).toString(), QStringLiteral("2026-01-02T00:00:00.000Z"));
        QCOMPARE(count(), 2);
    }

    void upsertMatchesByIdAndByUniqueCustomFields()
    {
        QVERIFY(addCustomField({{QStringLiteral("name"), QStringLiteral("tfContactId")}, {QStringLiteral("type"), QStringLiteral("TEXT")},
                                {QStringLiteral("isUnique"), true}}));
        const QString id = created(create({{QStringLiteral("tfContactId"), QStringLiteral("c-7")}})).value(QStringLiteral("id")).toString();
        const TwentyReply byCustom = create({{QStringLiteral("tfContactId"), QStringLiteral("c-7")}, {QStringLiteral("city"), QStringLiteral("Oslo")}},
                                            QStringLiteral("?upsert=true"));
        QCOMPARE(byCustom.status, 201);
        QCOMPARE(created(byCustom).value(QStringLiteral("id")).toString(), id);
        QCOMPARE(created(byCustom).value(QStringLiteral("city")).toString(), QStringLiteral("Oslo"));
        const TwentyReply byId = create({{QStringLiteral("id"), id}, {QStringLiteral("city"), QStringLiteral("Bergen")}}, QStringLiteral("?upsert=true"));
        QCOMPARE(created(byId).value(QStringLiteral("city")).toString(), QStringLiteral("Bergen"));
        QCOMPARE(count(), 1);
        // "upsert=1" is no upsert (§1: only the exact string "true" counts).
        QCOMPARE(create({{QStringLiteral("id"), id}}, QStringLiteral("?upsert=1")).status, 400);
        // An id of one row and the custom key of another: nothing to decide between.
        create({{QStringLiteral("tfContactId"), QStringLiteral("c-8")}});
        const TwentyReply ambiguous = create({{QStringLiteral("id"), id}, {QStringLiteral("tfContactId"), QStringLiteral("c-8")}}, QStringLiteral("?upsert=true"));
        QCOMPARE(ambiguous.status, 400);
        QVERIFY2(ambiguous.message().startsWith(QStringLiteral("Multiple records found with the same unique field values")),
                 qPrintable(ambiguous.describe()));
    }

    void companiesAndDepth()
    {
        const QString companyId = QStringLiteral("20202020-aa0b-48a9-85ba-e223975696ea");
        const TwentyReply company = m_client->post(QStringLiteral("/rest/companies"),
                                                   QJsonObject{{QStringLiteral("id"), companyId}, {QStringLiteral("name"), QStringLiteral("Analytical Engines")}});
        QCOMPARE(company.status, 201);
        QCOMPARE(company.data().value(QStringLiteral("createCompany")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("Analytical Engines"));
        const QString personId = created(create({{QStringLiteral("companyId"), companyId}})).value(QStringLiteral("id")).toString();

        const QJsonObject flat = m_client->get(QStringLiteral("/rest/people/") + personId).data().value(QStringLiteral("person")).toObject();
        QCOMPARE(flat.value(QStringLiteral("companyId")).toString(), companyId);
        QVERIFY(!flat.contains(QStringLiteral("company")));
        const QJsonObject deep = m_client->get(QStringLiteral("/rest/people/%1?depth=1").arg(personId)).data().value(QStringLiteral("person")).toObject();
        QCOMPARE(deep.value(QStringLiteral("company")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Analytical Engines"));
        QVERIFY(!deep.value(QStringLiteral("company")).toObject().contains(QStringLiteral("people")));
        const QJsonObject withPeople = m_client->get(QStringLiteral("/rest/companies/%1?depth=1").arg(companyId)).data().value(QStringLiteral("company")).toObject();
        QCOMPARE(ids(withPeople.value(QStringLiteral("people")).toArray()), QStringList{personId});
        QCOMPARE(m_client->get(QStringLiteral("/rest/companies?depth=1")).data().value(QStringLiteral("companies")).toArray().size(), 1);

        const TwentyReply depthTwo = m_client->get(QStringLiteral("/rest/people?depth=2"));
        QCOMPARE(depthTwo.status, 400);
        QCOMPARE(depthTwo.message(), QStringLiteral("'depth=2' parameter invalid. Allowed values are 0, 1"));
    }

    void foreignKeysHold()
    {
        const TwentyReply dangling = create({{QStringLiteral("companyId"), QStringLiteral("20202020-aa0b-48a9-85ba-e223975696ea")}});
        QCOMPARE(dangling.status, 400);
        QVERIFY2(dangling.message().startsWith(QStringLiteral("insert or update on table \"person\" violates foreign key constraint")),
                 qPrintable(dangling.describe()));
        const QString companyId = m_client->post(QStringLiteral("/rest/companies"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Navy")}})
                                      .data().value(QStringLiteral("createCompany")).toObject().value(QStringLiteral("id")).toString();
        const QString personId = created(create({{QStringLiteral("companyId"), companyId}})).value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->del(QStringLiteral("/rest/companies/") + companyId).status, 200);
        QVERIFY(m_client->get(QStringLiteral("/rest/people/") + personId).data().value(QStringLiteral("person")).toObject()
                    .value(QStringLiteral("companyId")).isNull());
    }

    void fieldsParameterNarrowsRecords()
    {
        create({{QStringLiteral("city"), QStringLiteral("Rome")}, {QStringLiteral("jobTitle"), QStringLiteral("Consul")}});
        const QJsonObject person = m_client->get(QStringLiteral("/rest/people?fields=city,name")).data().value(QStringLiteral("people")).toArray().first().toObject();
        const QStringList keys = person.keys();
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()),
                 (QSet<QString>{QStringLiteral("id"), QStringLiteral("city"), QStringLiteral("name")}));
        const TwentyReply unknown = m_client->get(QStringLiteral("/rest/people?fields=city,nope"));
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.message(), QStringLiteral("'fields' parameter invalid. Unknown or unreadable fields on 'person': nope"));
    }

    void unimplementedRoutesSaySo()
    {
        QCOMPARE(m_client->post(QStringLiteral("/rest/people/duplicates"), QJsonObject{{QStringLiteral("ids"), QJsonArray()}}).status, 501);
        QCOMPARE(m_client->get(QStringLiteral("/rest/people/a/b")).status, 400);
    }

    void legacyDeleteDefaultIsSoft()
    {
        tf::test::EmulatorProcess legacy;
        const QString error = legacy.start(QStringLiteral("tf-twenty-emulator"),
                                           {QStringLiteral("--api-key"), QString::fromLatin1(kKey),
                                            QStringLiteral("--delete-default"), QStringLiteral("soft")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        TwentyTestClient client(legacy.baseUrl(), kKey);
        const QString id = client.post(QStringLiteral("/rest/people"), QJsonObject()).data().value(QStringLiteral("createPerson")).toObject()
                               .value(QStringLiteral("id")).toString();
        const TwentyReply deleted = client.del(QStringLiteral("/rest/people/") + id);
        QCOMPARE(deleted.status, 200);
        QVERIFY(!deleted.data().value(QStringLiteral("deletePerson")).toObject().value(QStringLiteral("deletedAt")).isNull());
        QCOMPARE(client.get(QStringLiteral("/rest/people?filter=deletedAt%5Bis%5D:NOT_NULL")).object().value(QStringLiteral("totalCount")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTwentyRecords)
#include "tst_twentyemulator_records.moc"
