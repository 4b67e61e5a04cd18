#include "bigquerytestclient.h"
#include "support/emulatorprocess.h"
#include "testrsakey.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using tf::test::BigQueryReply;
using tf::test::BigQueryTestClient;

namespace {

QJsonObject example(const QString &file)
{
    const QByteArray text = BigQueryTestClient::specExample(file);
    if (text.isEmpty())
        QTest::qFail(qPrintable(QStringLiteral("testdata/%1 is missing").arg(file)), __FILE__, __LINE__);
    return QJsonDocument::fromJson(text).object();
}

// Values the spec shows as examples only: compared by presence.
QJsonValue normalized(const QJsonValue &value)
{
    static const QStringList ignored{QStringLiteral("jobId"), QStringLiteral("queryId"), QStringLiteral("pageToken"),
                                     QStringLiteral("totalBytesProcessed"), QStringLiteral("etag"), QStringLiteral("access_token")};
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &element : value.toArray())
            array.append(normalized(element));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        *it = ignored.contains(it.key()) ? QJsonValue(QStringLiteral("<example value>")) : normalized(it.value());
    return object;
}

QJsonObject field(const QString &name, const QString &type, const QString &mode = QStringLiteral("NULLABLE"), const QJsonArray &fields = {})
{
    QJsonObject object{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("mode"), mode}};
    if (!fields.isEmpty())
        object.insert(QStringLiteral("fields"), fields);
    return object;
}

QJsonObject row(const QJsonObject &json)
{
    return QJsonObject{{QStringLiteral("json"), json}};
}

} // namespace

// The verbatim JSON examples of bigquery-rest.md (tests/emulators/bigquery/testdata/) replayed against
// tf-bigquery-emulator: requests sent as they are, responses compared whole with what the emulator answers.
class TestBigQuerySpecExamples : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<BigQueryTestClient> m_client;

private slots:
    void initTestCase()
    {
        const QString error = m_emulator.start(QStringLiteral("tf-bigquery-emulator"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<BigQueryTestClient>(m_emulator.baseUrl());
    }

    void init()
    {
        m_client->admin("POST", QStringLiteral("reset"));
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{"ms", 0}, {"dmlDurationMs", QJsonValue()}});
        QCOMPARE(m_client->send("POST", "datasets", example("spec-3.1-dataset-request.json")).status, 200);
    }

    // §3.1 table request, §2.1 insertAll request and its answer, §2.1 unknown-field answer.
    void insertAllExamples()
    {
        const BigQueryReply table = m_client->send("POST", "datasets/sync_ds/tables", example("spec-3.1-table-request.json"));
        QVERIFY2(table.status == 200, qPrintable(table.describe()));
        const BigQueryReply inserted = m_client->send("POST", "datasets/sync_ds/tables/events/insertAll", example("spec-2.1-insertall-request.json"));
        QCOMPARE(inserted.json, (QJsonObject{{"kind", "bigquery#tableDataInsertAllResponse"}}));
        QCOMPARE(m_client->run("SELECT id, name, tags, addr.city, JSON_VALUE(payload, '$.k') FROM sync_ds.events ORDER BY id").rows(),
                 (QJsonArray{QJsonArray{"1", "a", QJsonArray{QJsonObject{{"v", "x"}}}, "Berlin", "1"},
                             QJsonArray{"2", QJsonValue::Null, QJsonArray(), QJsonValue::Null, QJsonValue::Null}}));
        const BigQueryReply unknown = m_client->insertAll("sync_ds", "events", QJsonArray{row({{"id", 3}, {"nosuchfield", 1}}), row({{"id", 4}})});
        QCOMPARE(unknown.json, example("spec-2.1-insertall-unknown-field.json"));
    }

    // §1.2: the recorded jobs.query response of the Python client's fixture.
    void recordedQueryResponse()
    {
        QCOMPARE(m_client->createTable("sync_ds", "names", QJsonArray{field("name", "STRING"), field("number", "INTEGER")}).status, 200);
        const QJsonObject expected = example("spec-1.2-query-response.json");
        QJsonArray rows;
        for (const QJsonValue &r : expected.value("rows").toArray()) {
            const QJsonArray cells = r.toObject().value("f").toArray();
            rows.append(row({{"name", cells.at(0).toObject().value("v")}, {"number", cells.at(1).toObject().value("v").toString().toLongLong()}}));
        }
        QCOMPARE(m_client->insertAll("sync_ds", "names", rows).status, 200);
        const BigQueryReply reply = m_client->run("SELECT name, number FROM `test-project.sync_ds.names`");
        QCOMPARE(normalized(reply.json), normalized(expected));

        // §1.5 on the same table: an UPDATE of two rows.
        m_client->admin("POST", QStringLiteral("streaming-buffer/flush"));
        const BigQueryReply dml = m_client->run("UPDATE sync_ds.names SET number = number + 1 WHERE name IN ('Tiarra', 'Tiana')");
        QCOMPARE(normalized(dml.json), normalized(example("spec-1.5-dml-response.json")));
    }

    // §1.3: every nested and repeated encoding, the int64 timestamps the official clients ask for, a pageToken.
    void nestedAndRepeatedCells()
    {
        const QJsonObject expected = example("spec-1.3-query-response.json");
        const QJsonArray schema = expected.value("schema").toObject().value("fields").toArray();
        QCOMPARE(m_client->createTable("sync_ds", "example", schema).status, 200);
        QJsonArray rows{row({{"id", 1}, {"name", "name1"}, {"score", 1.5}, {"active", true}, {"ts", "2024-01-27T00:00:00Z"}, {"d", "2024-01-27"},
                             {"dt", "2024-01-27T00:00:00"}, {"payload", "{\"a\":1}"}, {"tags", QJsonArray{"x", "y"}},
                             {"addr", QJsonObject{{"city", "Berlin"}, {"zip", 10115}}}, {"items", QJsonArray{QJsonObject{{"sku", "A1"}, {"qty", 2}}}}}),
                        row({{"id", 2}, {"active", false}}), row({{"id", 3}})};
        QCOMPARE(m_client->insertAll("sync_ds", "example", rows).json, (QJsonObject{{"kind", "bigquery#tableDataInsertAllResponse"}}));
        const BigQueryReply reply = m_client->run("SELECT * FROM `test-project.sync_ds.example` ORDER BY id",
                                                  QJsonObject{{"maxResults", 2}, {"formatOptions", QJsonObject{{"useInt64Timestamp", true}}}});
        QCOMPARE(normalized(reply.json), normalized(expected));
        // "With useInt64Timestamp off, the ts cell would read "1.7063136E9"."
        const BigQueryReply floats = m_client->results(reply.jobId(), QStringLiteral("?maxResults=1"));
        QCOMPARE(floats.rows().first().toArray().at(4).toString(), QStringLiteral("1.7063136E9"));
    }

    void notFinishedResponse()
    {
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{"ms", 600000}});
        const BigQueryReply reply = m_client->query("SELECT 1", QJsonObject{{"timeoutMs", 0}});
        QCOMPARE(normalized(reply.json), normalized(example("spec-1.4-not-finished.json")));
    }

    void tabledataListResponse()
    {
        QCOMPARE(m_client->createTable("sync_ds", "pairs", QJsonArray{field("id", "INTEGER"), field("name", "STRING")}).status, 200);
        QCOMPARE(m_client->insertAll("sync_ds", "pairs", QJsonArray{row({{"id", 1}, {"name", "name1"}}), row({{"id", 2}}), row({{"id", 3}, {"name", "z"}})}).status,
                 200);
        const BigQueryReply reply = m_client->send("GET", "datasets/sync_ds/tables/pairs/data?maxResults=2");
        QCOMPARE(normalized(reply.json), normalized(example("spec-3.2-tabledata-list.json")));
    }

    void errorEnvelopes()
    {
        QCOMPARE(m_client->send("POST", "datasets/sync_ds/tables", example("spec-3.1-table-request.json")).status, 200);
        const BigQueryReply missing = m_client->send("GET", "datasets/sync_ds/tables/missing");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json, example("spec-3.3-error-404.json"));
        const BigQueryReply duplicate = m_client->send("POST", "datasets/sync_ds/tables", example("spec-3.1-table-request.json"));
        QCOMPARE(duplicate.status, 409);
        QCOMPARE(duplicate.json, example("spec-3.3-error-409.json"));
        const BigQueryReply syntax = m_client->query("SELEC id FROM sync_ds.events");
        QCOMPARE(syntax.status, 400);
        QCOMPARE(syntax.json, example("spec-3.3-error-400.json"));
    }

    // §1.1's recommended body, sent as it is: its `meta = @meta` compares two JSON values, which GoogleSQL does not
    // define, so a faithful stand-in refuses the query as BigQuery does.
    void recommendedRequestIsCheckedLikeGoogleSql()
    {
        BigQueryTestClient client(m_emulator.baseUrl(), QStringLiteral("my-project"));
        QCOMPARE(client.createDataset("sync_ds").status, 200);
        QCOMPARE(client.createTable("sync_ds", "items", QJsonArray{field("id", "INT64"), field("name", "STRING"), field("updated_at", "TIMESTAMP"),
                                                                   field("meta", "JSON")})
                     .status,
                 200);
        const QJsonObject request = example("spec-1.1-query-request.json");
        const BigQueryReply reply = client.send("POST", "queries", request);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorReason(), QStringLiteral("invalidQuery"));
        const QString sql = request.value("query").toString();
        QCOMPARE(reply.errorMessage(),
                 QStringLiteral("Equality is not defined for arguments of type JSON at [1:%1]").arg(sql.indexOf(QLatin1String("meta =")) + 1));
        // The same body with the JSON compared through TO_JSON_STRING runs, with every other parameter of the example
        // (under a new requestId: the example's one now stands for the failed job, §1.1).
        QJsonObject fixed = request;
        fixed.insert("requestId", QStringLiteral("1d2c3b4a-0000-4000-8000-000000000001"));
        fixed.insert("query", QString(sql).replace(QStringLiteral("meta = @meta"), QStringLiteral("TO_JSON_STRING(meta) = TO_JSON_STRING(@meta)")));
        client.run("INSERT INTO sync_ds.items (id, name, updated_at, meta) VALUES (2, 'b', CURRENT_TIMESTAMP(), JSON '{\"k\": 1}')");
        const BigQueryReply ran = client.send("POST", "queries", fixed);
        QVERIFY2(ran.status == 200, qPrintable(ran.describe()));
        QCOMPARE(ran.rows().size(), 1);
        QCOMPARE(ran.rows().first().toArray().first().toString(), QStringLiteral("2"));
    }

    // §4.2: the example claims (iat/exp of January 2024) are refused as expired; the same claims issued now get the
    // token response of the spec.
    void tokenExamples()
    {
        QTemporaryDir dir;
        const tf::test::TestRsaKey key = tf::test::TestRsaKey::generate();
        QFile pem(dir.filePath(QStringLiteral("key.pem")));
        QVERIFY(pem.open(QIODevice::WriteOnly));
        pem.write(key.publicPem());
        pem.close();
        tf::test::EmulatorProcess guarded;
        QVERIFY(guarded.start(QStringLiteral("tf-bigquery-emulator"), {QStringLiteral("--token-public-key"), pem.fileName()}).isEmpty());
        BigQueryTestClient client(guarded.baseUrl());
        const auto exchange = [&](const QJsonObject &claims) {
            QUrlQuery form;
            form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"));
            form.addQueryItem(QStringLiteral("assertion"), QString::fromLatin1(key.jwt(claims)));
            return client.sendRaw("POST", QStringLiteral("/token"), form.toString(QUrl::FullyEncoded).toLatin1(), "application/x-www-form-urlencoded");
        };
        QJsonObject claims = example("spec-4.2-jwt-claims.json");
        const BigQueryReply expired = exchange(claims);
        QCOMPARE(expired.status, 400);
        QCOMPARE(expired.json.value("error").toString(), QStringLiteral("invalid_grant"));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        claims.insert("iat", now);
        claims.insert("exp", now + 3600);
        const BigQueryReply granted = exchange(claims);
        QCOMPARE(granted.status, 200);
        QCOMPARE(normalized(granted.json), normalized(example("spec-4.2-token-response.json")));
    }
};

QTEST_GUILESS_MAIN(TestBigQuerySpecExamples)
#include "tst_bigqueryemulator_spec.moc"
