#include "bigquerytestclient.h"
#include "support/emulatorprocess.h"

#include <QSet>
#include <QtTest>

using tf::test::BigQueryReply;
using tf::test::BigQueryTestClient;

namespace {

QJsonObject field(const QString &name, const QString &type, const QString &mode = QStringLiteral("NULLABLE"))
{
    return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("mode"), mode}};
}

QJsonObject ints(const QString &name, int count)
{
    QJsonArray values;
    for (int i = 0; i < count; ++i)
        values.append(QJsonObject{{QStringLiteral("value"), QString::number(i)}});
    return BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
        name, QJsonObject{{QStringLiteral("type"), QStringLiteral("ARRAY")}, {QStringLiteral("arrayType"), BigQueryTestClient::scalar(QStringLiteral("INT64"))}},
        QJsonObject{{QStringLiteral("arrayValues"), values}})});
}

} // namespace

// Query jobs of tf-bigquery-emulator (bigquery-rest.md §1, §2.4, §5.4.6-7, §5.4.9): results paging with pageTokens,
// startIndex and maxResults; jobComplete:false and the long poll; the three TIMESTAMP forms; jobs.insert and jobs.get;
// requestId idempotency; the DML queue limit.
class TestBigQueryJobs : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<BigQueryTestClient> m_client;

    void createCounter()
    {
        QCOMPARE(m_client->createTable(QStringLiteral("jobs_ds"), QStringLiteral("counter"),
                                       QJsonArray{field(QStringLiteral("id"), QStringLiteral("INT64")), field(QStringLiteral("n"), QStringLiteral("INT64"))})
                     .status,
                 200);
        m_client->run(QStringLiteral("INSERT INTO jobs_ds.counter (id, n) VALUES (1, 0)"));
    }

    qint64 counter()
    {
        return m_client->run(QStringLiteral("SELECT n FROM jobs_ds.counter WHERE id = 1")).rows().first().toArray().first().toString().toLongLong();
    }

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
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{QStringLiteral("ms"), 0}, {QStringLiteral("dmlDurationMs"), QJsonValue()}});
        QCOMPARE(m_client->createDataset(QStringLiteral("jobs_ds")).status, 200);
    }

    // 2,500 rows in pages of 300: jobs.query gives the first page and a pageToken, getQueryResults the rest; every
    // row arrives exactly once, every page repeats the schema and totalRows.
    void pageTokensHandOutEveryRowOnce()
    {
        QCOMPARE(m_client->createTable(QStringLiteral("jobs_ds"), QStringLiteral("big"), QJsonArray{field(QStringLiteral("id"), QStringLiteral("INT64"))}).status, 200);
        m_client->run(QStringLiteral("INSERT INTO jobs_ds.big (id) SELECT i FROM UNNEST(@ids) AS i"), ints(QStringLiteral("ids"), 2500));
        BigQueryReply page = m_client->run(QStringLiteral("SELECT id FROM jobs_ds.big"), QJsonObject{{QStringLiteral("maxResults"), 300}});
        const QString jobId = page.jobId();
        QSet<QString> seen;
        int pages = 0;
        for (;;) {
            ++pages;
            QCOMPARE(page.json.value(QStringLiteral("totalRows")).toString(), QStringLiteral("2500"));
            QCOMPARE(page.json.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")).toArray().size(), 1);
            QVERIFY(page.rows().size() <= 300);
            for (const QJsonValue &row : page.rows()) {
                const QString id = row.toArray().first().toString();
                QVERIFY2(!seen.contains(id), qPrintable(id));
                seen.insert(id);
            }
            const QString token = page.json.value(QStringLiteral("pageToken")).toString();
            if (token.isEmpty())
                break;
            page = m_client->results(jobId, QStringLiteral("?maxResults=300&pageToken=") + QString::fromLatin1(QUrl::toPercentEncoding(token)));
            QVERIFY2(page.status == 200, qPrintable(page.describe()));
            QCOMPARE(page.json.value(QStringLiteral("kind")).toString(), QStringLiteral("bigquery#getQueryResultsResponse"));
        }
        QCOMPARE(seen.size(), 2500);
        QCOMPARE(pages, 9);
    }

    void startIndexMaxResultsAndBadTokens()
    {
        const BigQueryReply first = m_client->run(QStringLiteral("SELECT x FROM UNNEST([10, 20, 30, 40, 50]) AS x"), QJsonObject{{QStringLiteral("maxResults"), 1}});
        const BigQueryReply slice = m_client->results(first.jobId(), QStringLiteral("?startIndex=2&maxResults=2"));
        QCOMPARE(slice.rows(), (QJsonArray{QJsonArray{"30"}, QJsonArray{"40"}}));
        QVERIFY(slice.json.contains(QStringLiteral("pageToken")));
        const BigQueryReply bad = m_client->results(first.jobId(), QStringLiteral("?pageToken=not-a-token"));
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorReason(), QStringLiteral("invalid"));
        const BigQueryReply unknown = m_client->results(QStringLiteral("job_nope"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.errorMessage(), QStringLiteral("Not found: Job test-project:US.job_nope"));
    }

    // §1.3: float seconds by default (Java style), int64 microseconds on request, ISO strings on request; from the
    // body for jobs.query, from the query string for getQueryResults and tabledata.list.
    void timestampsInAllThreeForms()
    {
        const QString sql = QStringLiteral("SELECT TIMESTAMP '2024-01-27 00:00:00+00', TIMESTAMP_MICROS(1561017697269367), TIMESTAMP_MICROS(-1)");
        QCOMPARE(m_client->run(sql).rows().first().toArray(), (QJsonArray{"1.7063136E9", "1.561017697269367E9", "-1.0E-6"}));
        const BigQueryReply micros = m_client->run(sql, QJsonObject{{QStringLiteral("formatOptions"), QJsonObject{{QStringLiteral("useInt64Timestamp"), true}}}});
        QCOMPARE(micros.rows().first().toArray(), (QJsonArray{"1706313600000000", "1561017697269367", "-1"}));
        const BigQueryReply iso = m_client->run(sql, QJsonObject{{QStringLiteral("formatOptions"),
                                                                  QJsonObject{{QStringLiteral("timestampOutputFormat"), QStringLiteral("ISO8601_STRING")}}}});
        QCOMPARE(iso.rows().first().toArray(), (QJsonArray{"2024-01-27T00:00:00.000000000000Z", "2019-06-20T08:01:37.269367000000Z",
                                                           "1969-12-31T23:59:59.999999000000Z"}));
        QCOMPARE(m_client->results(iso.jobId(), QStringLiteral("?formatOptions.useInt64Timestamp=true")).rows().first().toArray().first().toString(),
                 QStringLiteral("1706313600000000"));
        QCOMPARE(m_client->results(iso.jobId()).rows().first().toArray().first().toString(), QStringLiteral("1.7063136E9"));

        QCOMPARE(m_client->createTable(QStringLiteral("jobs_ds"), QStringLiteral("stamps"), QJsonArray{field(QStringLiteral("ts"), QStringLiteral("TIMESTAMP"))}).status, 200);
        m_client->run(QStringLiteral("INSERT INTO jobs_ds.stamps (ts) VALUES ('2024-01-27 00:00:00')"));
        QCOMPARE(m_client->send("GET", QStringLiteral("datasets/jobs_ds/tables/stamps/data?formatOptions.useInt64Timestamp=true")).rows(),
                 (QJsonArray{QJsonValue(QJsonArray{"1706313600000000"})}));
        QCOMPARE(m_client->send("GET", QStringLiteral("datasets/jobs_ds/tables/stamps/data")).rows(), (QJsonArray{QJsonValue(QJsonArray{"1.7063136E9"})}));
    }

    // --query-delay-ms (here through its switch): jobs.query answers jobComplete:false when timeoutMs runs out first,
    // and holds the request open until the job is done when timeoutMs allows.
    void incompleteJobsAndTheLongPoll()
    {
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{QStringLiteral("ms"), 1500}});
        const BigQueryReply pending = m_client->query(QStringLiteral("SELECT 7 AS x"), QJsonObject{{QStringLiteral("timeoutMs"), 0}});
        QCOMPARE(pending.status, 200);
        QCOMPARE(pending.json.value(QStringLiteral("jobComplete")).toBool(true), false);
        QVERIFY(!pending.json.contains(QStringLiteral("rows")) && !pending.json.contains(QStringLiteral("totalRows")));
        QVERIFY(!pending.jobId().isEmpty());
        const BigQueryReply running = m_client->send("GET", QStringLiteral("jobs/") + pending.jobId());
        QCOMPARE(running.json.value(QStringLiteral("status")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("RUNNING"));
        const BigQueryReply notYet = m_client->results(pending.jobId(), QStringLiteral("?timeoutMs=0"));
        QCOMPARE(notYet.json.value(QStringLiteral("jobComplete")).toBool(true), false);
        const BigQueryReply done = m_client->results(pending.jobId(), QStringLiteral("?timeoutMs=10000"));
        QCOMPARE(done.json.value(QStringLiteral("jobComplete")).toBool(), true);
        QCOMPARE(done.rows(), (QJsonArray{QJsonValue(QJsonArray{"7"})}));
        QCOMPARE(m_client->send("GET", QStringLiteral("jobs/") + pending.jobId()).json.value(QStringLiteral("status")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("DONE"));
        const BigQueryReply waited = m_client->query(QStringLiteral("SELECT 8 AS x"), QJsonObject{{QStringLiteral("timeoutMs"), 10000}});
        QCOMPARE(waited.json.value(QStringLiteral("jobComplete")).toBool(), true);
        QCOMPARE(waited.rows(), (QJsonArray{QJsonValue(QJsonArray{"8"})}));
    }

    // A job that fails is an HTTP error on getQueryResults (§1.4) and status.errorResult on jobs.get (§3.3).
    void jobsInsertGetAndFailedJobs()
    {
        const QJsonObject job{{QStringLiteral("jobReference"), QJsonObject{{QStringLiteral("jobId"), QStringLiteral("my_job-1")}, {QStringLiteral("location"), QStringLiteral("US")}}},
                              {QStringLiteral("configuration"),
                               QJsonObject{{QStringLiteral("query"),
                                            QJsonObject{{QStringLiteral("query"), QStringLiteral("SELECT @a + 1 AS y")}, {QStringLiteral("useLegacySql"), false},
                                                        {QStringLiteral("parameterMode"), QStringLiteral("named")},
                                                        {QStringLiteral("queryParameters"),
                                                         QJsonArray{BigQueryTestClient::parameter(QStringLiteral("a"), BigQueryTestClient::scalar(QStringLiteral("INT64")),
                                                                                                  BigQueryTestClient::value(1))}}}}}}};
        const BigQueryReply inserted = m_client->send("POST", QStringLiteral("jobs"), job);
        QVERIFY2(inserted.status == 200, qPrintable(inserted.describe()));
        QCOMPARE(inserted.json.value(QStringLiteral("kind")).toString(), QStringLiteral("bigquery#job"));
        QCOMPARE(inserted.json.value(QStringLiteral("id")).toString(), QStringLiteral("test-project:US.my_job-1"));
        QCOMPARE(inserted.json.value(QStringLiteral("status")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("DONE"));
        const QJsonObject query = inserted.json.value(QStringLiteral("statistics")).toObject().value(QStringLiteral("query")).toObject();
        QCOMPARE(query.value(QStringLiteral("statementType")).toString(), QStringLiteral("SELECT"));
        QCOMPARE(m_client->results(QStringLiteral("my_job-1"), QStringLiteral("?location=US")).rows(), (QJsonArray{QJsonValue(QJsonArray{"2"})}));
        const BigQueryReply again = m_client->send("POST", QStringLiteral("jobs"), job);
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorMessage(), QStringLiteral("Already Exists: Job test-project:US.my_job-1"));

        QJsonObject failing = job;
        failing.insert(QStringLiteral("jobReference"), QJsonObject{{QStringLiteral("jobId"), QStringLiteral("failing")}});
        failing.insert(QStringLiteral("configuration"),
                       QJsonObject{{QStringLiteral("query"), QJsonObject{{QStringLiteral("query"), QStringLiteral("SELECT * FROM jobs_ds.absent")},
                                                                         {QStringLiteral("useLegacySql"), false}}}});
        const BigQueryReply failed = m_client->send("POST", QStringLiteral("jobs"), failing);
        QCOMPARE(failed.status, 200);
        const QJsonObject status = m_client->send("GET", QStringLiteral("jobs/failing")).json.value(QStringLiteral("status")).toObject();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("DONE"));
        QCOMPARE(status.value(QStringLiteral("errorResult")).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("notFound"));
        const BigQueryReply results = m_client->results(QStringLiteral("failing"));
        QCOMPARE(results.status, 404);
        QCOMPARE(results.errorMessage(), QStringLiteral("Not found: Table test-project:jobs_ds.absent was not found in location US"));
    }

    // §5.4.7: the same requestId within 15 minutes gives the first result and never applies the UPDATE twice.
    void requestIdReplayDoesNotRepeatAMutation()
    {
        createCounter();
        const QString sql = QStringLiteral("UPDATE jobs_ds.counter SET n = n + 1 WHERE id = 1");
        const QJsonObject once{{QStringLiteral("requestId"), QStringLiteral("0f6c1f4e-6a1e-4b8e-9f0a-2b1f0c2d3e4f")}};
        const BigQueryReply first = m_client->run(sql, once);
        const BigQueryReply replay = m_client->run(sql, once);
        QCOMPARE(replay.jobId(), first.jobId());
        QCOMPARE(replay.json.value(QStringLiteral("numDmlAffectedRows")).toString(), QStringLiteral("1"));
        QCOMPARE(counter(), 1);
        m_client->run(sql, QJsonObject{{QStringLiteral("requestId"), QStringLiteral("another-request")}});
        QCOMPARE(counter(), 2);
    }

    // §2.4: two mutating statements run per table, twenty wait, the twenty-third is refused with BigQuery's text.
    void dmlQueueRefusesTheTwentyThird()
    {
        createCounter();
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{QStringLiteral("dmlDurationMs"), 60000}});
        const QString sql = QStringLiteral("UPDATE jobs_ds.counter SET n = n + 1 WHERE id = 1");
        for (int i = 0; i < 22; ++i) {
            const BigQueryReply queued = m_client->query(sql, QJsonObject{{QStringLiteral("timeoutMs"), 0}});
            QVERIFY2(queued.status == 200, qPrintable(queued.describe()));
            QCOMPARE(queued.json.value(QStringLiteral("jobComplete")).toBool(true), false);
        }
        const BigQueryReply refused = m_client->query(sql, QJsonObject{{QStringLiteral("timeoutMs"), 0}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorReason(), QStringLiteral("resourcesExceeded"));
        QCOMPARE(refused.errorMessage(), QStringLiteral("Resources exceeded during query execution: Too many DML statements outstanding "
                                                        "against table test-project:jobs_ds.counter, limit is 20"));
        // Reads and other tables are not queued behind them.
        QCOMPARE(m_client->run(QStringLiteral("SELECT 1")).rows().size(), 1);
    }

    void queuedDmlRunsInOrder()
    {
        createCounter();
        m_client->admin("POST", QStringLiteral("query-delay"), QJsonObject{{QStringLiteral("dmlDurationMs"), 300}});
        QString last;
        for (int i = 1; i <= 4; ++i) {
            const BigQueryReply queued = m_client->query(QStringLiteral("UPDATE jobs_ds.counter SET n = n * 10 + %1 WHERE id = 1").arg(i),
                                                         QJsonObject{{QStringLiteral("timeoutMs"), 0}});
            QCOMPARE(queued.status, 200);
            last = queued.jobId();
        }
        const BigQueryReply done = m_client->results(last, QStringLiteral("?timeoutMs=20000"));
        QCOMPARE(done.json.value(QStringLiteral("jobComplete")).toBool(), true);
        QCOMPARE(done.json.value(QStringLiteral("numDmlAffectedRows")).toString(), QStringLiteral("1"));
        QVERIFY(!done.json.contains(QStringLiteral("dmlStats"))); // getQueryResults has no dmlStats (§1.2)
        QCOMPARE(counter(), 1234);
    }

    void legacySqlIsRefusedNotGuessed()
    {
        const BigQueryReply reply = m_client->send("POST", QStringLiteral("queries"), QJsonObject{{QStringLiteral("query"), QStringLiteral("SELECT 1")}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorReason(), QStringLiteral("invalidQuery"));
        QVERIFY(reply.errorMessage().contains(QLatin1String("useLegacySql")));
    }

    // §1.1: a response stops at 10 MB; the rest follows with a pageToken.
    void responsesStopAtTenMegabytes()
    {
        QJsonObject parameters = ints(QStringLiteral("ids"), 1500);
        QJsonArray list = parameters.value(QStringLiteral("queryParameters")).toArray();
        list.append(BigQueryTestClient::parameter(QStringLiteral("big"), BigQueryTestClient::scalar(QStringLiteral("STRING")),
                                                  BigQueryTestClient::value(QString(10000, QLatin1Char('x')))));
        parameters.insert(QStringLiteral("queryParameters"), list);
        BigQueryReply page = m_client->run(QStringLiteral("SELECT i, @big AS s FROM UNNEST(@ids) AS i"), parameters);
        QVERIFY(page.body.size() <= 10 * 1024 * 1024);
        QVERIFY2(page.rows().size() < 1500 && page.rows().size() > 500, qPrintable(QString::number(page.rows().size())));
        qsizetype total = page.rows().size();
        while (page.json.contains(QStringLiteral("pageToken"))) {
            page = m_client->results(page.jobId(), QStringLiteral("?pageToken=") + page.json.value(QStringLiteral("pageToken")).toString());
            QVERIFY(page.body.size() <= 10 * 1024 * 1024);
            total += page.rows().size();
        }
        QCOMPARE(total, 1500);
    }
};

QTEST_GUILESS_MAIN(TestBigQueryJobs)
#include "tst_bigqueryemulator_jobs.moc"
