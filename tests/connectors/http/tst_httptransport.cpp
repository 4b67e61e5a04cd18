#include "common/emulatorserver.h"
#include "connectors/http/clockskewcheck.h"
#include "connectors/http/httptransport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace tf;

// The transport against a real HTTP server on loopback (the emulators' front, in-process) whose fault injector
// produces the failures: nothing here is a mock of the transport itself.
class TestHttpTransport : public QObject
{
    Q_OBJECT

    std::unique_ptr<emu::EmulatorServer> m_server;
    int m_handled = 0;

    HttpCall call(const QString &path, int timeoutMs = 5000) const
    {
        HttpCall c;
        c.method = "POST";
        c.url = QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path));
        c.body = "{}";
        c.timeoutMs = timeoutMs;
        return c;
    }

    static bool retryServerErrors(const HttpReply &reply)
    {
        return !reply.answered() || reply.status == 429 || reply.status >= 500;
    }

    static RetryPolicy fastRetries(int attempts) { return RetryPolicy({attempts, 20, 100, 0.0}, [] { return 0.0; }); }

    void plan(const QJsonArray &next)
    {
        m_server->faults().configure(QJsonObject{{QStringLiteral("next"), next}});
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<emu::EmulatorServer>(
            [this](const emu::HttpRequest &) {
                ++m_handled;
                return emu::HttpResponse::json(200, QJsonObject{{QStringLiteral("handled"), m_handled}});
            },
            [](int status) {
                auto response = emu::HttpResponse::json(status, QJsonObject{{QStringLiteral("injected"), status}});
                if (status == 429)
                    response.withHeader("Retry-After", "1");
                return response;
            });
        QString error;
        QVERIFY2(m_server->listenOnLoopback(0, &error), qPrintable(error));
    }

    void init() { m_handled = 0; }

    void retriesServerErrorsUntilSuccess()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")}, {QStringLiteral("status"), 503},
                          {QStringLiteral("count"), 2}}});
        HttpTransport transport(Layer::Crm);
        transport.setRetryPolicy(fastRetries(5));
        const HttpReply reply = transport.send(call(QStringLiteral("/a")), retryServerErrors);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.attempts, 3);
        QCOMPARE(transport.requestsSent(), 3);
        QCOMPARE(m_handled, 1);
    }

    void givesUpAfterTheLastAttempt()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")}, {QStringLiteral("status"), 500},
                          {QStringLiteral("count"), 10}}});
        HttpTransport transport(Layer::BigQuery);
        transport.setRetryPolicy(fastRetries(3));
        const HttpReply reply = transport.send(call(QStringLiteral("/b")), retryServerErrors);
        QCOMPARE(reply.status, 500);
        QCOMPARE(reply.attempts, 3);
        QCOMPARE(m_handled, 0);
        m_server->faults().reset();
    }

    void honoursRetryAfter()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")}, {QStringLiteral("status"), 429}}});
        HttpTransport transport(Layer::Crm);
        transport.setRetryPolicy(fastRetries(3));
        QElapsedTimer timer;
        timer.start();
        const HttpReply reply = transport.send(call(QStringLiteral("/c")), retryServerErrors);
        QCOMPARE(reply.status, 200);
        // Retry-After: 1 must win over the 20 ms backoff; this is a lower bound of behaviour, not a benchmark.
        QVERIFY2(timer.elapsed() >= 1000, qPrintable(QString::number(timer.elapsed())));
    }

    // The wait is told before it starts (the status and the app show it), with the server's reason.
    void reportsEveryLongWait()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")}, {QStringLiteral("status"), 429}}});
        HttpTransport transport(Layer::Crm);
        transport.setRetryPolicy(fastRetries(3));
        QList<QPair<qint64, QString>> waits;
        transport.setWaitObserver([&](qint64 ms, const QString &reason) { waits.append({ms, reason}); });
        QCOMPARE(transport.send(call(QStringLiteral("/w")), retryServerErrors).status, 200);
        QCOMPARE(waits.size(), 1);
        QCOMPARE(waits.first().first, 1000);
        QVERIFY2(waits.first().second.contains(QStringLiteral("Retry-After")), qPrintable(waits.first().second));
    }

    // A server asking for more than max_retry_after_s gets no retry and no wait: the error names the wait.
    void retryAfterBeyondTheCapFailsAtOnce()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")}, {QStringLiteral("status"), 429}}});
        HttpTransport transport(Layer::Crm);
        transport.setRetryPolicy(fastRetries(3));
        transport.setMaxRetryAfterMs(500);
        try {
            transport.send(call(QStringLiteral("/capped")), retryServerErrors);
            QFAIL("a Retry-After beyond the cap must not be waited out");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Transient);
            QVERIFY2(QString::fromUtf8(error.what())
                         .contains(QStringLiteral("asks to wait 1 s, longer than max_retry_after_s=0")),
                     error.what());
        }
        QCOMPARE(m_handled, 0); // the one request was the injected 429: nothing was sent again
    }

    // HTTP dates end in "GMT" (RFC 9110), which Qt's RFC 2822 parser alone refuses; the Retry-After date form
    // and the Date header (the safety check's clock skew) both depend on reading them.
    void readsHttpDates()
    {
        const QDateTime expected(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC);
        QCOMPARE(HttpReply::parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
        QCOMPARE(HttpReply::parseHttpDate("  Sun, 06 Nov 1994 08:49:37 +0000 "), expected);
        QVERIFY(!HttpReply::parseHttpDate("Sunday, 06-Nov-94 nonsense").isValid());
        QVERIFY(!HttpReply::parseHttpDate("").isValid());

        HttpReply reply;
        reply.headers.insert("date", "Sun, 06 Nov 1994 08:49:37 GMT");
        QCOMPARE(reply.serverDate(), expected);
        const QDateTime inTwoMinutes = QDateTime::currentDateTimeUtc().addSecs(120);
        reply.headers.insert("retry-after", QLocale::c().toString(inTwoMinutes, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1());
        QVERIFY2(reply.retryAfterMs() > 100000 && reply.retryAfterMs() <= 120000, qPrintable(QString::number(reply.retryAfterMs())));
    }

    void clockSkewIsMeasuredAndJudged()
    {
        HttpTransport transport(Layer::Crm);
        QVERIFY(!transport.clockSkewMs());
        QCOMPARE(transport.send(call(QStringLiteral("/c")), retryServerErrors).status, 200);
        QVERIFY(transport.clockSkewMs());
        QVERIFY2(qAbs(*transport.clockSkewMs()) < 2000, qPrintable(QString::number(*transport.clockSkewMs())));

        QVERIFY(ClockSkewCheck::of(std::nullopt, QString()).warning);
        const HealthCheck fine = ClockSkewCheck::of(-1500, QStringLiteral("x"));
        QVERIFY(fine.ok && !fine.warning && fine.message.contains(QStringLiteral("1.5 s behind")));
        const HealthCheck drifting = ClockSkewCheck::of(90 * 1000, QStringLiteral("tokens break"));
        QVERIFY(drifting.ok && drifting.warning && drifting.hint.contains(QStringLiteral("tokens break")));
        const HealthCheck wrong = ClockSkewCheck::of(-10 * 60 * 1000, QStringLiteral("x"));
        QVERIFY(!wrong.ok && wrong.message.contains(QStringLiteral("600.0 s behind")));
    }

    void timesOutASilentServer()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("timeout")}}});
        HttpTransport transport(Layer::Crm);
        const HttpReply reply = transport.sendOnce(call(QStringLiteral("/d"), 300));
        QCOMPARE(reply.status, 0);
        QVERIFY(reply.timedOut);
        QVERIFY(reply.networkError.contains(QStringLiteral("300 ms")));
    }

    // Qt's HTTP channel itself resends a request whose connection closed before any answer byte arrived. So a drop
    // costs the caller nothing, and a "lost response" means the server does the work TWICE: this is why every write
    // of ours carries an idempotency key (BigQuery requestId, Twenty upsert on tfContactId, SQL upserts).
    void droppedConnectionIsResent()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("drop")}}});
        HttpTransport transport(Layer::Crm);
        transport.setRetryPolicy(fastRetries(3));
        const HttpReply reply = transport.send(call(QStringLiteral("/e")), retryServerErrors);
        QCOMPARE(reply.status, 200);
        QCOMPARE(m_handled, 1);
    }

    void lostResponseIsCommittedTwiceByTheResend()
    {
        plan({QJsonObject{{QStringLiteral("kind"), QStringLiteral("lost-response")}}});
        HttpTransport transport(Layer::Crm);
        const HttpReply reply = transport.sendOnce(call(QStringLiteral("/f")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(m_handled, 2);
        QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("handled")).toInt(), 2);
    }

    void clientSideBucketSpacesRequests()
    {
        HttpTransport transport(Layer::Crm);
        transport.setRateLimit(5, 500); // 5 per 500 ms: the sixth request waits ~100 ms
        for (int i = 0; i < 6; ++i)
            QCOMPARE(transport.sendOnce(call(QStringLiteral("/g"))).status, 200);
        QVERIFY(transport.rateLimitWaitedMs() > 0);
    }

    void refusedConnectionIsANetworkError()
    {
        HttpTransport transport(Layer::Crm);
        HttpCall c = call(QStringLiteral("/h"));
        c.url.setPort(1); // nothing listens on port 1
        const HttpReply reply = transport.sendOnce(c);
        QCOMPARE(reply.status, 0);
        QVERIFY(!reply.networkError.isEmpty());
        QVERIFY(!reply.timedOut);
    }
};

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
