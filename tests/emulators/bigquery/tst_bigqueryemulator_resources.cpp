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

QJsonObject field(const QString &name, const QString &type, const QString &mode = QString())
{
    QJsonObject object{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}};
    if (!mode.isEmpty())
        object.insert(QStringLiteral("mode"), mode);
    return object;
}

QJsonObject envelope(int code, const QString &reason, const QString &message, const QString &status)
{
    return QJsonObject{{QStringLiteral("error"),
                        QJsonObject{{QStringLiteral("code"), code},
                                    {QStringLiteral("message"), message},
                                    {QStringLiteral("errors"), QJsonArray{QJsonObject{{QStringLiteral("message"), message},
                                                                                      {QStringLiteral("domain"), QStringLiteral("global")},
                                                                                      {QStringLiteral("reason"), reason}}}},
                                    {QStringLiteral("status"), status}}}};
}

} // namespace

// Datasets, tables, the envelope of every error, the request conventions of §0 and §5.2, injected faults, --data,
// and the OAuth2 token endpoint with the Bearer check (bigquery-rest.md §0, §3.1, §3.3, §4.2, §5.4.1-2, §5.4.10).
class TestBigQueryResources : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<BigQueryTestClient> m_client;
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return file.fileName();
    }

    static QJsonObject claims(const QString &audience, qint64 issued, qint64 expires, const QString &scope = QStringLiteral("https://www.googleapis.com/auth/bigquery"))
    {
        return QJsonObject{{QStringLiteral("iss"), QStringLiteral("sync@test-project.iam.gserviceaccount.com")},
                           {QStringLiteral("scope"), scope},
                           {QStringLiteral("aud"), audience},
                           {QStringLiteral("iat"), issued},
                           {QStringLiteral("exp"), expires}};
    }

    static BigQueryReply exchange(BigQueryTestClient &client, const QByteArray &assertion,
                                  const QString &grantType = QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer"))
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QString::fromLatin1(QUrl::toPercentEncoding(grantType)));
        form.addQueryItem(QStringLiteral("assertion"), QString::fromLatin1(assertion));
        return client.sendRaw("POST", QStringLiteral("/token"), form.toString(QUrl::FullyEncoded).toLatin1(), "application/x-www-form-urlencoded");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString error = m_emulator.start(QStringLiteral("tf-bigquery-emulator"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<BigQueryTestClient>(m_emulator.baseUrl());
    }

    void init()
    {
        m_client->setPrefix(QStringLiteral("/bigquery/v2"));
        m_client->admin("POST", QStringLiteral("reset"));
        QVERIFY(m_emulator.setFaults(QJsonObject()));
    }

    void datasetLifecycle()
    {
        const BigQueryReply created = m_client->send("POST", QStringLiteral("datasets?prettyPrint=false"),
                                                     QJsonObject{{"location", "US"}, {"projectId", "test-project"},
                                                                 {"datasetReference", QJsonObject{{"datasetId", "sync_ds"}}}});
        QCOMPARE(created.status, 200);
        QCOMPARE(created.json.value("kind").toString(), QStringLiteral("bigquery#dataset"));
        QCOMPARE(created.json.value("id").toString(), QStringLiteral("test-project:sync_ds"));
        QCOMPARE(created.json.value("location").toString(), QStringLiteral("US"));
        QVERIFY(created.json.value("creationTime").isString());
        QCOMPARE(m_client->createDataset("sync_ds").json, envelope(409, "duplicate", "Already Exists: Dataset test-project:sync_ds", "ALREADY_EXISTS"));
        QCOMPARE(m_client->send("GET", "datasets/sync_ds").json.value("datasetReference").toObject().value("datasetId").toString(), QStringLiteral("sync_ds"));
        QCOMPARE(m_client->createTable("sync_ds", "t", QJsonArray{field("id", "INT64")}).status, 200);
        const BigQueryReply inUse = m_client->send("DELETE", "datasets/sync_ds");
        QCOMPARE(inUse.status, 400);
        QCOMPARE(inUse.errorReason(), QStringLiteral("resourceInUse"));
        QCOMPARE(m_client->send("DELETE", "datasets/sync_ds?deleteContents=true").status, 204);
        QCOMPARE(m_client->send("GET", "datasets/sync_ds").json, envelope(404, "notFound", "Not found: Dataset test-project:sync_ds", "NOT_FOUND"));
        QCOMPARE(m_client->createDataset("bad-name").status, 400);
    }

    // §3.1: the Table resource, int64 quantities as strings, legacy type names, explicit modes; §3.3's envelopes.
    void tableLifecycle()
    {
        QCOMPARE(m_client->createDataset("sync_ds").status, 200);
        const QJsonArray fields{field("id", "INT64", "REQUIRED"), field("name", "STRING"), field("score", "FLOAT64"), field("ok", "BOOL"),
                                field("tags", "STRING", "REPEATED"),
                                QJsonObject{{"name", "addr"}, {"type", "STRUCT"}, {"fields", QJsonArray{field("city", "STRING")}}}};
        const BigQueryReply created = m_client->send(
            "POST", "datasets/sync_ds/tables",
            QJsonObject{{"schema", QJsonObject{{"fields", fields}}},
                        {"tableReference", QJsonObject{{"datasetId", "sync_ds"}, {"projectId", "test-project"}, {"tableId", "events"}}},
                        {"someFieldGoogleAddsLater", 1}});
        QCOMPARE(created.status, 200);
        QCOMPARE(created.json.value("kind").toString(), QStringLiteral("bigquery#table"));
        QCOMPARE(created.json.value("id").toString(), QStringLiteral("test-project:sync_ds.events"));
        QCOMPARE(created.json.value("numRows").toString(), QStringLiteral("0"));
        QCOMPARE(created.json.value("numBytes").toString(), QStringLiteral("0"));
        QCOMPARE(created.json.value("type").toString(), QStringLiteral("TABLE"));
        QVERIFY(created.json.value("creationTime").toString().toLongLong() > 0);
        const QJsonArray schema = created.json.value("schema").toObject().value("fields").toArray();
        QStringList types;
        for (const QJsonValue &f : schema)
            types.append(f.toObject().value("type").toString() + QLatin1Char('/') + f.toObject().value("mode").toString());
        QCOMPARE(types, (QStringList{"INTEGER/REQUIRED", "STRING/NULLABLE", "FLOAT/NULLABLE", "BOOLEAN/NULLABLE", "STRING/REPEATED", "RECORD/NULLABLE"}));

        QCOMPARE(m_client->createTable("sync_ds", "events", fields).json,
                 QJsonDocument::fromJson(BigQueryTestClient::specExample("spec-3.3-error-409.json")).object());
        m_client->run("INSERT INTO sync_ds.events (id, name, tags) VALUES (1, 'abc', ['x']), (2, NULL, [])");
        const BigQueryReply got = m_client->send("GET", "datasets/sync_ds/tables/events");
        QCOMPARE(got.json.value("numRows").toString(), QStringLiteral("2"));
        QVERIFY(got.json.value("numBytes").toString().toLongLong() > 16);
        QVERIFY(got.json.value("lastModifiedTime").toString().toLongLong() >= got.json.value("creationTime").toString().toLongLong());
        QCOMPARE(m_client->send("DELETE", "datasets/sync_ds/tables/events").status, 204);
        QCOMPARE(m_client->send("GET", "datasets/sync_ds/tables/events").json,
                 envelope(404, "notFound", "Not found: Table test-project:sync_ds.events", "NOT_FOUND"));
        QCOMPARE(m_client->createTable("nods", "t", QJsonArray{field("id", "INT64")}).errorMessage(), QStringLiteral("Not found: Dataset test-project:nods"));
    }

    void invalidSchemasAreRefused()
    {
        QCOMPARE(m_client->createDataset("sync_ds").status, 200);
        const BigQueryReply badType = m_client->createTable("sync_ds", "t", QJsonArray{field("id", "INTEGERISH")});
        QCOMPARE(badType.status, 400);
        QCOMPARE(badType.errorReason(), QStringLiteral("invalid"));
        QCOMPARE(badType.errorMessage(), QStringLiteral("Invalid value for type: INTEGERISH is not a valid value"));
        QCOMPARE(m_client->createTable("sync_ds", "t", QJsonArray{field("1id", "INT64")}).errorReason(), QStringLiteral("invalid"));
        QCOMPARE(m_client->createTable("sync_ds", "t", QJsonArray{field("r", "RECORD")}).errorMessage(),
                 QStringLiteral("Field r is type RECORD but has no schema"));
        QCOMPARE(m_client->createTable("sync_ds", "t", QJsonArray{field("a", "INT64"), field("A", "STRING")}).status, 400);
    }

    // §5.2: the BIGQUERY_EMULATOR_HOST form has no /bigquery/v2 prefix; both reach the same data.
    void bothPathPrefixesServeTheSameApi()
    {
        QCOMPARE(m_client->createDataset("sync_ds").status, 200);
        m_client->setPrefix(QString());
        QCOMPARE(m_client->createTable("sync_ds", "t", QJsonArray{field("id", "INT64")}).status, 200);
        QCOMPARE(m_client->run("INSERT INTO sync_ds.t (id) VALUES (5)").status, 200);
        const BigQueryReply bare = m_client->query("SELECT id FROM sync_ds.t");
        m_client->setPrefix(QStringLiteral("/bigquery/v2"));
        const BigQueryReply prefixed = m_client->results(bare.jobId());
        QCOMPARE(prefixed.rows(), (QJsonArray{QJsonValue(QJsonArray{"5"})}));
        QCOMPARE(m_client->send("GET", "datasets/sync_ds/tables/t").status, 200);
    }

    // §5.4.1-2: global parameters and unknown body fields are ignored, an Authorization header is tolerated without a
    // key; answers are JSON in UTF-8 with a Date header, int64 quantities as strings.
    void requestConventions()
    {
        m_client->setBearer("some-token-from-elsewhere");
        const BigQueryReply reply = m_client->send("POST", "queries?prettyPrint=false&fields=rows&alt=json&quotaUser=x",
                                                   QJsonObject{{"query", "SELECT 'ü' AS s"}, {"useLegacySql", false}, {"somethingNew", true}});
        m_client->setBearer({});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json; charset=UTF-8"));
        QVERIFY(QDateTime::fromString(QString::fromLatin1(reply.headers.value("date")).replace(QStringLiteral("GMT"), QStringLiteral("+0000")),
                                      Qt::RFC2822Date).isValid());
        QCOMPARE(reply.rows(), (QJsonArray{QJsonValue(QJsonArray{QStringLiteral("ü")})}));
        QVERIFY(reply.json.value("totalRows").isString());
        QVERIFY(reply.json.value("totalBytesProcessed").isString());
        QCOMPARE(m_client->send("GET", "nonsense").status, 404);
    }

    // §5.4.10: the fault injector's statuses come in Google's envelope with the reasons clients retry on.
    void injectedFaultsUseGooglesEnvelope()
    {
        QVERIFY(m_emulator.setFaults(QJsonObject{{"next", QJsonArray{QJsonObject{{"kind", "status"}, {"status", 429}},
                                                                     QJsonObject{{"kind", "status"}, {"status", 500}},
                                                                     QJsonObject{{"kind", "status"}, {"status", 503}}}}}));
        const BigQueryReply tooMany = m_client->query("SELECT 1");
        QCOMPARE(tooMany.status, 429);
        QCOMPARE(tooMany.errorReason(), QStringLiteral("rateLimitExceeded"));
        QCOMPARE(tooMany.json.value("error").toObject().value("status").toString(), QStringLiteral("RESOURCE_EXHAUSTED"));
        const BigQueryReply internal = m_client->query("SELECT 1");
        QCOMPARE(internal.status, 500);
        QCOMPARE(internal.errorReason(), QStringLiteral("backendError"));
        const BigQueryReply unavailable = m_client->query("SELECT 1");
        QCOMPARE(unavailable.status, 503);
        QCOMPARE(unavailable.errorReason(), QStringLiteral("backendError"));
        QCOMPARE(unavailable.json.value("error").toObject().value("status").toString(), QStringLiteral("UNAVAILABLE"));
        QCOMPARE(m_client->query("SELECT 1").status, 200);
    }

    void dataFileKeepsTablesAcrossRestarts()
    {
        const QString file = m_dir.filePath(QStringLiteral("bq.sqlite"));
        {
            tf::test::EmulatorProcess first;
            QVERIFY(first.start(QStringLiteral("tf-bigquery-emulator"), {QStringLiteral("--data"), file}).isEmpty());
            BigQueryTestClient client(first.baseUrl());
            QCOMPARE(client.createDataset("kept").status, 200);
            QCOMPARE(client.createTable("kept", "t", QJsonArray{field("id", "INT64"), field("tags", "STRING", "REPEATED")}).status, 200);
            client.run("INSERT INTO kept.t (id, tags) VALUES (1, ['a']), (2, [])");
        }
        tf::test::EmulatorProcess second;
        QVERIFY(second.start(QStringLiteral("tf-bigquery-emulator"), {QStringLiteral("--data"), file}).isEmpty());
        BigQueryTestClient client(second.baseUrl());
        QCOMPARE(client.run("SELECT id, tags FROM kept.t ORDER BY id").rows(),
                 (QJsonArray{QJsonArray{"1", QJsonArray{QJsonObject{{"v", "a"}}}}, QJsonArray{"2", QJsonArray()}}));
        QCOMPARE(client.send("GET", "datasets/kept/tables/t").json.value("schema").toObject().value("fields").toArray().size(), 2);
    }

    void adminSwitches()
    {
        QCOMPARE(m_client->createDataset("sync_ds").status, 200);
        const QJsonObject settings = m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{"ms", 250}, {"dmlDurationMs", 40}});
        QCOMPARE(settings.value("queryDelayMs").toInt(), 250);
        QCOMPARE(settings.value("dmlDurationMs").toInt(), 40);
        QCOMPARE(m_client->admin("POST", QStringLiteral("streaming-buffer"), QJsonObject{{"ageSeconds", 3.5}}).value("streamingBufferSeconds").toDouble(), 3.5);
        QCOMPARE(m_client->admin("GET", QStringLiteral("settings")).value("queryDelayMs").toInt(), 250);
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{"ms", 0}, {"dmlDurationMs", QJsonValue()}});
        m_client->admin("POST", QStringLiteral("reset"));
        QCOMPARE(m_client->send("GET", "datasets/sync_ds").status, 404);
    }

    // §4.2: the JWT bearer exchange against --token-public-key, then API calls need the issued token (§4.3: only then).
    void tokenEndpointAndBearerCheck()
    {
        const tf::test::TestRsaKey trusted = tf::test::TestRsaKey::generate();
        const tf::test::TestRsaKey stranger = tf::test::TestRsaKey::generate();
        tf::test::EmulatorProcess guarded;
        const QString error = guarded.start(QStringLiteral("tf-bigquery-emulator"),
                                            {QStringLiteral("--token-public-key"), writeFile(QStringLiteral("trusted.pem"), trusted.publicPem())});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        BigQueryTestClient client(guarded.baseUrl());
        const QString ownAudience = guarded.baseUrl().toString() + QStringLiteral("/token");
        const qint64 now = QDateTime::currentSecsSinceEpoch();

        const BigQueryReply missing = client.send("GET", "datasets/x");
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.errorReason(), QStringLiteral("required"));
        QVERIFY(missing.errorMessage().startsWith(QLatin1String("Request is missing required authentication credential.")));
        QCOMPARE(missing.json.value("error").toObject().value("status").toString(), QStringLiteral("UNAUTHENTICATED"));

        const BigQueryReply granted = exchange(client, trusted.jwt(claims(ownAudience, now, now + 3600)));
        QCOMPARE(granted.status, 200);
        QCOMPARE(granted.json.value("token_type").toString(), QStringLiteral("Bearer"));
        QCOMPARE(granted.json.value("expires_in").toInt(), 3599);
        const QByteArray token = granted.json.value("access_token").toString().toLatin1();
        QVERIFY(!token.isEmpty());
        QCOMPARE(exchange(client, trusted.jwt(claims(QStringLiteral("https://oauth2.googleapis.com/token"), now, now + 3600))).status, 200);

        client.setBearer("ya29.not-issued-here");
        const BigQueryReply wrong = client.send("GET", "datasets/x");
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.errorReason(), QStringLiteral("authError"));
        client.setBearer(token);
        QCOMPARE(client.createDataset("x").status, 200);
        QCOMPARE(client.send("GET", "datasets/x").status, 200);

        const auto refused = [&](const QByteArray &assertion, const QString &error, const QString &description, const QString &grant = {}) {
            const BigQueryReply reply = grant.isEmpty() ? exchange(client, assertion) : exchange(client, assertion, grant);
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.json, (QJsonObject{{"error", error}, {"error_description", description}}));
        };
        refused(stranger.jwt(claims(ownAudience, now, now + 3600)), "invalid_grant", "Invalid JWT Signature.");
        const QString timeframe = QStringLiteral("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                                                 "Check your iat and exp values in the JWT claim.");
        refused(trusted.jwt(claims(ownAudience, now - 7200, now - 3600)), "invalid_grant", timeframe);
        refused(trusted.jwt(claims(ownAudience, now, now + 7200)), "invalid_grant", timeframe);
        refused(trusted.jwt(claims(ownAudience, now, now + 3600, QStringLiteral("https://www.googleapis.com/auth/drive"))), "invalid_scope",
                "Invalid OAuth scope or ID token audience provided.");
        const BigQueryReply audience = exchange(client, trusted.jwt(claims(QStringLiteral("https://example.com/token"), now, now + 3600)));
        QCOMPARE(audience.json.value("error").toString(), QStringLiteral("invalid_grant"));
        QVERIFY(audience.json.value("error_description").toString().contains(QLatin1String("audience")));
        refused(trusted.jwt(claims(ownAudience, now, now + 3600)), "unsupported_grant_type", "Invalid grant_type: password", QStringLiteral("password"));
    }
};

QTEST_GUILESS_MAIN(TestBigQueryResources)
#include "tst_bigqueryemulator_resources.moc"
