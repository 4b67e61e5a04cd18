#include "connectors/http/plaintextguard.h"
#include "connectors/supabase/pgconnectioninfo.h"
#include "core/connector.h"

#include <QtTest>

using namespace tf;

// Which hosts are "this machine", decided from the address and never from how a name starts, for the REST layers
// and for libpq's connection strings alike.
class TestPlaintextGuard : public QObject {
    Q_OBJECT

private slots:
    void loopbackIsDecidedByTheAddress_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << true;
        QTest::newRow("127.8.9.10") << QStringLiteral("127.8.9.10") << true;
        QTest::newRow("::1") << QStringLiteral("::1") << true;
        QTest::newRow("[::1]") << QStringLiteral("[::1]") << true;
        QTest::newRow("mapped") << QStringLiteral("::ffff:127.0.0.1") << true;
        QTest::newRow("localhost") << QStringLiteral("localhost") << true;
        QTest::newRow("LOCALHOST") << QStringLiteral("LOCALHOST") << true;
        QTest::newRow("a name starting with 127.") << QStringLiteral("127.evil.example") << false;
        QTest::newRow("localhost as a subdomain") << QStringLiteral("localhost.evil.example") << false;
        QTest::newRow("private network") << QStringLiteral("10.0.0.5") << false;
        QTest::newRow("unspecified") << QStringLiteral("0.0.0.0") << false;
        QTest::newRow("empty") << QString() << false;
    }

    void loopbackIsDecidedByTheAddress()
    {
        QFETCH(QString, host);
        QFETCH(bool, loopback);
        QCOMPARE(PlaintextGuard::isLoopbackHost(host), loopback);
    }

    void plainHttpToAnotherMachineNeedsConsent()
    {
        const QUrl remote(QStringLiteral("http://crm.example.com:3000"));
        try {
            PlaintextGuard::requireEncryption(Layer::Crm, remote, false, QStringLiteral("the API key"));
            QFAIL("plain http to another machine must be refused");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Configuration);
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(QStringLiteral("crm.example.com"))
                         && message.contains(QStringLiteral("allow_insecure=true in [crm]")),
                     qPrintable(message));
        }
        PlaintextGuard::requireEncryption(Layer::Crm, remote, true, QStringLiteral("the API key"));
        PlaintextGuard::requireEncryption(Layer::Crm, QUrl(QStringLiteral("https://crm.example.com")), false, {});
        PlaintextGuard::requireEncryption(Layer::Crm, QUrl(QStringLiteral("http://127.0.0.1:3000")), false, {});
        QVERIFY(PlaintextGuard::isPlaintextToAnotherMachine(QUrl(QStringLiteral("http://127.evil.example"))));
    }

    void postgresHostsAreEveryHostOfTheDsn_data()
    {
        QTest::addColumn<QString>("dsn");
        QTest::addColumn<bool>("loopback");
        QTest::addColumn<bool>("plaintext");
        QTest::newRow("socket") << QStringLiteral("host=/run/postgresql dbname=x") << true << true;
        QTest::newRow("loopback") << QStringLiteral("host=127.0.0.1 sslmode=disable") << true << true;
        QTest::newRow("remote, default prefer") << QStringLiteral("host=db.example.com") << false << true;
        QTest::newRow("remote, require") << QStringLiteral("host=db.example.com sslmode=require") << false << false;
        QTest::newRow("remote, verify-full")
            << QStringLiteral("host=db.example.com sslmode=verify-full") << false << false;
        QTest::newRow("one of two hosts remote") << QStringLiteral("host=localhost,db.example.com") << false << true;
        QTest::newRow("hostaddr decides") << QStringLiteral("host=db.example.com hostaddr=127.0.0.1") << true << true;
        QTest::newRow("name like loopback") << QStringLiteral("host=127.evil.example sslmode=allow") << false << true;
        QTest::newRow("uri") << QStringLiteral("postgresql://u@db.example.com:5432/postgres?sslmode=verify-ca") << false
                             << false;
    }

    void postgresHostsAreEveryHostOfTheDsn()
    {
        QFETCH(QString, dsn);
        QFETCH(bool, loopback);
        QFETCH(bool, plaintext);
        qunsetenv("PGHOST");
        qunsetenv("PGHOSTADDR");
        qunsetenv("PGSSLMODE");
        const PgConnectionInfo info(dsn, QString());
        QCOMPARE(info.isLoopback(), loopback);
        QCOMPARE(info.allowsPlaintext(), plaintext);
    }

    // libpq reads PGHOST and PGSSLMODE when the dsn says nothing; so does the guard.
    void postgresEnvironmentCounts()
    {
        qputenv("PGHOST", "db.example.com");
        qputenv("PGSSLMODE", "verify-full");
        const PgConnectionInfo info(QStringLiteral("dbname=postgres"), QString());
        QVERIFY(!info.isLoopback());
        QVERIFY(!info.allowsPlaintext());
        qunsetenv("PGHOST");
        qunsetenv("PGSSLMODE");
        QVERIFY(PgConnectionInfo(QStringLiteral("dbname=postgres"), QString()).isLoopback());
    }
};

QTEST_GUILESS_MAIN(TestPlaintextGuard)
#include "tst_plaintextguard.moc"
