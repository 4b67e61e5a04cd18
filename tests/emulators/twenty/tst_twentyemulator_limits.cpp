#include "support/emulatorprocess.h"
#include "twentytestclient.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using tf::test::TwentyReply;
using tf::test::TwentyTestClient;

namespace {

const QByteArray kKey = "limits-key";
const QByteArray kSecondKey = "second-key";

QStringList arguments(const QStringList &extra)
{
    return QStringList{QStringLiteral("--api-key"), QStringLiteral("Desktop Sync=limits-key"), QStringLiteral("--api-key"),
                       QStringLiteral("Second=second-key")}
         + extra;
}

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

bool sameKeysAndTypes(const QJsonObject &expected, const QJsonObject &actual)
{
    if (expected.keys() != actual.keys())
        return false;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const QJsonValue other = actual.value(it.key());
        if (it.value().type() != other.type())
            return false;
        if (it.value().isObject() && !sameKeysAndTypes(it.value().toObject(), other.toObject()))
            return false;
    }
    return true;
}

} // namespace

// Rate limits (twenty-rest.md §5, §6), injected faults in Twenty's shape, the clock switch and --data persistence.
class TestTwentyLimits : public QObject
{
    Q_OBJECT

    // Short bucket 3/s with a roomy long one; a long bucket of 5/min with a roomy short one.
    tf::test::EmulatorProcess m_shortBucket;
    tf::test::EmulatorProcess m_longBucket;
    std::unique_ptr<TwentyTestClient> m_short;
    std::unique_ptr<TwentyTestClient> m_long;

    static double tokens(TwentyTestClient &client, const char *bucket)
    {
        return client.admin("GET", QStringLiteral("rate-limit")).toObject().value(QLatin1String(bucket)).toObject()
            .value(QStringLiteral("tokens")).toDouble();
    }

private slots:
    void initTestCase()
    {
        QString error = m_shortBucket.start(QStringLiteral("tf-twenty-emulator"),
                                            arguments({QStringLiteral("--rate-short"), QStringLiteral("3/1000"),
                                                       QStringLiteral("--rate-long"), QStringLiteral("1000/60000")}));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = m_longBucket.start(QStringLiteral("tf-twenty-emulator"),
                                   arguments({QStringLiteral("--rate-short"), QStringLiteral("100/1000"), QStringLiteral("--rate-long"),
                                              QStringLiteral("5/60000")}));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_short = std::make_unique<TwentyTestClient>(m_shortBucket.baseUrl(), kKey);
        m_long = std::make_unique<TwentyTestClient>(m_longBucket.baseUrl(), kKey);
    }

    void init()
    {
        for (TwentyTestClient *client : {m_short.get(), m_long.get()}) {
            client->setApiKey(kKey);
            client->admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), QJsonValue()}, {QStringLiteral("offsetMs"), 0}});
            client->admin("POST", QStringLiteral("reset"));
        }
    }

    void shortBucketEmptiesAndRefills()
    {
        // A stopped clock refills nothing, so what follows does not depend on how fast this machine is.
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        const auto setClock = [&](qint64 ms) {
            m_short->admin("POST", QStringLiteral("clock"),
                           {{QStringLiteral("freezeAt"), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs)}});
        };
        setClock(start);
        m_short->admin("POST", QStringLiteral("rate-limit"));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_short->get(QStringLiteral("/rest/people")).status, 200);
        const TwentyReply limited = m_short->get(QStringLiteral("/rest/people"));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.headers.value("retry-after"), QByteArray("1"));
        QCOMPARE(limited.headers.value("x-ratelimit-limit"), QByteArray("3"));
        QCOMPARE(limited.headers.value("x-ratelimit-remaining"), QByteArray("0"));
        QCOMPARE(limited.headers.value("x-ratelimit-reset").toLongLong(), (start + 1000) / 1000);
        QCOMPARE(limited.message(), QStringLiteral("Rate limit exceeded for apiKey: 3 requests per 1s."));
        QVERIFY(sameKeysAndTypes(json(TwentyTestClient::specExample(QStringLiteral("spec-5-error-429-new.json"))), limited.object()));
        // A refused request costs nothing; a third of a second brings one token back (continuous refill).
        QCOMPARE(m_short->get(QStringLiteral("/rest/people")).status, 429);
        setClock(start + 340);
        QCOMPARE(m_short->get(QStringLiteral("/rest/people")).status, 200);
        QCOMPARE(m_short->get(QStringLiteral("/rest/people")).status, 429);
    }

    void longBucketWaitsAMinuteOrAClockJump()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_long->get(QStringLiteral("/rest/people")).status, 200);
        const TwentyReply limited = m_long->get(QStringLiteral("/rest/people"));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.headers.value("retry-after"), QByteArray("12")); // 60 s / 5 tokens
        QCOMPARE(limited.message(), QStringLiteral("Rate limit exceeded for apiKey: 5 requests per 60s."));
        QCOMPARE(limited.object().value(QStringLiteral("periodCount")).toDouble(), 60.0);
        QCOMPARE(limited.object().value(QStringLiteral("retryAfterSeconds")).toDouble(), 12.0);
        QCOMPARE(limited.object().value(QStringLiteral("scope")).toObject().value(QStringLiteral("spenderType")).toString(), QStringLiteral("apiKey"));
        m_long->admin("POST", QStringLiteral("clock"), {{QStringLiteral("offsetMs"), 12000}});
        QCOMPARE(m_long->get(QStringLiteral("/rest/people")).status, 200);
        QCOMPARE(m_long->get(QStringLiteral("/rest/people")).status, 429);
    }

    void everyKeyOfTheWorkspaceSharesTheBuckets()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_long->get(QStringLiteral("/rest/people")).status, 200);
        m_long->setApiKey(kSecondKey);
        QCOMPARE(m_long->get(QStringLiteral("/rest/people")).status, 429);
    }

    void aBatchCostsOneTokenAndRejectedParametersNone()
    {
        m_long->admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), QStringLiteral("2026-03-02T09:15:27.118Z")}});
        m_long->admin("POST", QStringLiteral("rate-limit"));
        QCOMPARE(tokens(*m_long, "long"), 5.0);
        QJsonArray batch;
        for (int i = 0; i < 60; ++i)
            batch.append(QJsonObject());
        QCOMPARE(m_long->post(QStringLiteral("/rest/batch/people"), batch).status, 201);
        QCOMPARE(tokens(*m_long, "long"), 4.0);
        QCOMPARE(m_long->get(QStringLiteral("/rest/people?limit=abc")).status, 400);
        QCOMPARE(tokens(*m_long, "long"), 4.0);
        QCOMPARE(m_long->get(QStringLiteral("/rest/people?limit=1")).status, 200);
        QCOMPARE(tokens(*m_long, "long"), 3.0);
    }

    void onlyRecordOperationsAreLimited()
    {
        for (int i = 0; i < 5; ++i)
            m_long->get(QStringLiteral("/rest/people"));
        QCOMPARE(m_long->get(QStringLiteral("/rest/people")).status, 429);
        QCOMPARE(m_long->get(QStringLiteral("/rest/metadata/objects")).status, 200);
        QCOMPARE(m_long->get(QStringLiteral("/rest/metadata/webhooks")).status, 200);
    }

    void specBodiesOfBothStyles()
    {
        tf::test::EmulatorProcess current;
        tf::test::EmulatorProcess legacy;
        QString error = current.start(QStringLiteral("tf-twenty-emulator"), arguments({}));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = legacy.start(QStringLiteral("tf-twenty-emulator"), arguments({QStringLiteral("--rate-limit-style"), QStringLiteral("legacy")}));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (tf::test::EmulatorProcess *process : {&current, &legacy}) {
            TwentyTestClient client(process->baseUrl(), kKey);
            client.admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), QStringLiteral("2026-03-02T09:15:27.118Z")}});
            // The default buckets: 100 per second and 100 per minute; the long one runs dry first.
            for (int i = 0; i < 100; ++i)
                QCOMPARE(client.get(QStringLiteral("/rest/people?limit=1")).status, 200);
            const TwentyReply limited = client.get(QStringLiteral("/rest/people?limit=1"));
            QCOMPARE(limited.status, 429);
            if (process == &legacy) {
                QCOMPARE(limited.object(), json(TwentyTestClient::specExample(QStringLiteral("spec-5-error-429-legacy.json"))));
                QVERIFY(!limited.headers.contains("retry-after"));
                QVERIFY(!limited.headers.contains("x-ratelimit-limit"));
            } else {
                const QJsonObject example = json(TwentyTestClient::specExample(QStringLiteral("spec-5-error-429-new.json")));
                QVERIFY(sameKeysAndTypes(example, limited.object()));
                for (const char *same : {"statusCode", "error", "messages", "limitKind", "exhaustedKind", "limit", "remaining",
                                         "periodCount", "periodUnit"}) {
                    QCOMPARE(limited.object().value(QLatin1String(same)), example.value(QLatin1String(same)));
                }
                QVERIFY(limited.headers.contains("retry-after"));
                QCOMPARE(limited.headers.value("x-ratelimit-limit"), QByteArray("100"));
            }
        }
    }

    void injectedFaultsSpeakTwenty()
    {
        m_short->admin("POST", QStringLiteral("rate-limit"));
        QCOMPARE(m_short->admin("POST", QStringLiteral("faults"),
                                json(R"({"next":[{"kind":"status","status":429},{"kind":"status","status":500},{"kind":"status","status":503}]})"))
                     .toObject().value(QStringLiteral("next")).toArray().size(),
                 3);
        const TwentyReply tooMany = m_short->get(QStringLiteral("/rest/people"));
        QCOMPARE(tooMany.status, 429);
        QCOMPARE(tooMany.object().value(QStringLiteral("error")).toString(), QStringLiteral("RATE_LIMITED"));
        QVERIFY(tooMany.headers.contains("retry-after"));
        const TwentyReply internal = m_short->get(QStringLiteral("/rest/people"));
        QCOMPARE(internal.status, 500);
        QCOMPARE(internal.object(), json(R"({"statusCode":500,"error":"InternalServerErrorException","messages":["Internal server error"]})"));
        const TwentyReply unavailable = m_short->get(QStringLiteral("/rest/people"));
        QCOMPARE(unavailable.status, 503);
        QCOMPARE(unavailable.object(), json(R"({"statusCode":503,"error":"ServiceUnavailableException","messages":["Service Unavailable"]})"));
        QCOMPARE(m_short->get(QStringLiteral("/rest/people")).status, 200);
    }

    // A batch refused once with a 403 (issue 8, scenario 1): Twenty's own 403 body, nothing written, and the next
    // identical batch goes through.
    void anInjected403RefusesOneBatchInTwentysShape()
    {
        m_short->admin("POST", QStringLiteral("rate-limit"));
        m_short->admin(
            "POST", QStringLiteral("faults"),
            json(R"({"next":[{"kind":"status","status":403,"method":"POST","pathContains":"/rest/batch/people"}]})"));
        const QJsonArray batch{QJsonObject{{QStringLiteral("city"), QStringLiteral("Refused once")}}};
        const TwentyReply refused = m_short->post(QStringLiteral("/rest/batch/people"), batch);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.object(), json(TwentyTestClient::specExample(QStringLiteral("spec-5-error-403.json"))));
        // Three requests: the short bucket's 3 tokens (an injected answer spends none).
        const TwentyReply before = m_short->get(QStringLiteral("/rest/people")); // a GET does not match the fault
        QCOMPARE(before.status, 200);
        QCOMPARE(before.object().value(QStringLiteral("totalCount")).toInt(), 0);
        QCOMPARE(m_short->post(QStringLiteral("/rest/batch/people"), batch).status, 201);
        QCOMPARE(m_short->get(QStringLiteral("/rest/people")).object().value(QStringLiteral("totalCount")).toInt(), 1);
    }

    void aLostResponseStillCommitted()
    {
        m_short->admin("POST", QStringLiteral("faults"), json(R"({"next":[{"kind":"lost-response","method":"POST"}]})"));
        // A bare socket: QNetworkAccessManager would quietly send the request again on a connection closed unanswered.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(m_shortBucket.baseUrl().port()));
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = R"({"city":"Limbo"})";
        socket.write("POST /rest/people HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kKey
                     + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(socket.waitForDisconnected(5000));
        QCOMPARE(socket.readAll(), QByteArray());
        QCOMPARE(m_short->get(QStringLiteral("/rest/people")).object().value(QStringLiteral("totalCount")).toInt(), 1);
    }

    void pageAndBatchSizesAreConfigurable()
    {
        tf::test::EmulatorProcess small;
        const QString error = small.start(QStringLiteral("tf-twenty-emulator"),
                                          arguments({QStringLiteral("--default-limit"), QStringLiteral("5"), QStringLiteral("--max-limit"),
                                                     QStringLiteral("10"), QStringLiteral("--batch-max"), QStringLiteral("3")}));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        TwentyTestClient client(small.baseUrl(), kKey);
        const QJsonArray four{QJsonObject(), QJsonObject(), QJsonObject(), QJsonObject()};
        QCOMPARE(client.post(QStringLiteral("/rest/batch/people"), four).message(), QStringLiteral("Maximum number of records to upsert is 3."));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(client.post(QStringLiteral("/rest/batch/people"), QJsonArray{QJsonObject(), QJsonObject(), QJsonObject()}).status, 201);
        QCOMPARE(client.get(QStringLiteral("/rest/people")).data().value(QStringLiteral("people")).toArray().size(), 5);
        QCOMPARE(client.get(QStringLiteral("/rest/people?limit=200")).data().value(QStringLiteral("people")).toArray().size(), 10);

        tf::test::EmulatorProcess refused;
        QVERIFY(!refused.start(QStringLiteral("tf-twenty-emulator"), arguments({QStringLiteral("--rate-short"), QStringLiteral("fast")})).isEmpty());
        QVERIFY2(refused.output().contains(QStringLiteral("--rate-short: 'fast' is not LIMIT/MS")), qPrintable(refused.output()));
    }

    void clockOffsetMovesTimestamps()
    {
        m_long->admin("POST", QStringLiteral("clock"), {{QStringLiteral("offsetMs"), 86400000}});
        const QJsonObject clock = m_long->admin("GET", QStringLiteral("clock")).toObject();
        QCOMPARE(clock.value(QStringLiteral("offsetMs")).toDouble(), 86400000.0);
        const QString createdAt = m_long->post(QStringLiteral("/rest/people"), QJsonObject()).data().value(QStringLiteral("createPerson")).toObject()
                                      .value(QStringLiteral("createdAt")).toString();
        const qint64 skew = QDateTime::currentDateTimeUtc().msecsTo(QDateTime::fromString(createdAt, Qt::ISODateWithMs));
        QVERIFY2(skew > 86400000 - 60000 && skew < 86400000 + 60000, qPrintable(createdAt));
        QCOMPARE(m_long->post(QStringLiteral("/__emulator/clock"), QJsonObject{{QStringLiteral("freezeAt"), QStringLiteral("soon")}}).status, 400);
    }

    void dataFileKeepsTheWorkspaceAcrossRestarts()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QStringList withData = arguments({QStringLiteral("--data"), dir.filePath(QStringLiteral("twenty.json"))});
        QString personId;
        {
            tf::test::EmulatorProcess first;
            const QString error = first.start(QStringLiteral("tf-twenty-emulator"), withData);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            TwentyTestClient client(first.baseUrl(), kKey);
            QCOMPARE(client.post(QStringLiteral("/rest/metadata/fields"),
                                 QJsonObject{{QStringLiteral("objectMetadataId"), QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495")},
                                             {QStringLiteral("name"), QStringLiteral("tfContactId")},
                                             {QStringLiteral("label"), QStringLiteral("TF contact id")},
                                             {QStringLiteral("type"), QStringLiteral("TEXT")},
                                             {QStringLiteral("isUnique"), true}})
                         .status,
                     201);
            personId = client.post(QStringLiteral("/rest/people"),
                                   QJsonObject{{QStringLiteral("tfContactId"), QStringLiteral("c-1")},
                                               {QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ada@example.com")}}}})
                           .data().value(QStringLiteral("createPerson")).toObject().value(QStringLiteral("id")).toString();
            QCOMPARE(client.post(QStringLiteral("/rest/metadata/webhooks"), QJsonObject{{QStringLiteral("targetUrl"), QStringLiteral("http://127.0.0.1:9")}}).status, 201);
        }
        tf::test::EmulatorProcess second;
        const QString error = second.start(QStringLiteral("tf-twenty-emulator"), withData);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        TwentyTestClient client(second.baseUrl(), kKey);
        const QJsonObject person = client.get(QStringLiteral("/rest/people/") + personId).data().value(QStringLiteral("person")).toObject();
        QCOMPARE(person.value(QStringLiteral("tfContactId")).toString(), QStringLiteral("c-1"));
        QCOMPARE(client.get(QStringLiteral("/rest/metadata/webhooks")).json.toArray().size(), 1);
        QCOMPARE(client.post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("tfContactId"), QStringLiteral("c-1")}}).status, 400);
        QCOMPARE(client.post(QStringLiteral("/rest/people"),
                             QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ADA@example.com")}}}})
                     .status,
                 400);
    }
};

QTEST_GUILESS_MAIN(TestTwentyLimits)
#include "tst_twentyemulator_limits.moc"
