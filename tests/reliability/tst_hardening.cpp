// Issue 9's cases through the real tfsync binary, as a person or a service manager meets them: an outage, a
// config with a typo, credentials the libpq way, plain text to another machine, a server asking for a long wait,
// a second instance, the systemd unit's start gate. Each either works or stops with exit 2 and a message naming the
// key, the layer or the value, and loses nothing.
#include "connectors/demo/demostand.h"
#include "core/syncconfig.h"
#include "reliability/syncedstand.h"
#include "support/emulatorprocess.h"
#include "support/tfsynccli.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;
using namespace tf::test;

namespace {

// A process that finished on its own, with `code` (a crash or a hang is a failure of its own).
bool exitedWith(const TfSyncRun &run, int code)
{
    return run.exitCode == code;
}

QString readFile(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QString::fromUtf8(file.readAll());
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

// Waits until `process` printed a line matching `pattern` on stdout (it keeps running), at most `timeoutMs`.
bool waitForOutput(QProcess &process, const QRegularExpression &pattern, QString &seen, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    process.waitForStarted(timeoutMs);
    while (timer.elapsed() < timeoutMs && process.state() == QProcess::Running) {
        process.waitForReadyRead(500);
        seen += QString::fromUtf8(process.readAllStandardOutput());
        if (pattern.match(seen).hasMatch())
            return true;
    }
    seen += QString::fromUtf8(process.readAllStandardOutput());
    return pattern.match(seen).hasMatch();
}

} // namespace

class TestHardening : public QObject {
    Q_OBJECT

    QString m_logText;
    QTextStream m_log{&m_logText};
    std::unique_ptr<SyncedStand> m_stand;
    QTemporaryDir m_dir;

    // A config next to the stand's, the stand's text with `edit` applied.
    QString variant(const QString &name, const std::function<void(QString &)> &edit)
    {
        QString text = readFile(m_stand->configPath());
        edit(text);
        const QString path = m_dir.filePath(name);
        writeFile(path, text.toUtf8());
        return path;
    }

    TfSyncRun tfsync(const QString &config, const QStringList &arguments, int timeoutMs = 120000)
    {
        return TfSyncCli(config, m_log).run(arguments, timeoutMs);
    }

private slots:
    void initTestCase()
    {
        quietInProcessLogging();
        m_stand = std::make_unique<SyncedStand>(m_log);
        const QString error = m_stand->start(20);
        QVERIFY2(error.isEmpty(), qPrintable(error + QLatin1Char('\n') + m_logText));
    }

    // The cycle lock, a read, a write: wherever Postgres goes away, the command says so and exits 2, never 134.
    void outageGivesAnErrorNotAnAbort()
    {
        m_stand->postgres().stop();
        const auto cleanup = qScopeGuard([&] { QCOMPARE(m_stand->postgres().startServer(), QString()); });
        for (const QStringList &command :
             {QStringList{QStringLiteral("initial")},
              QStringList{QStringLiteral("push"), QStringLiteral("--source"), QStringLiteral("local")},
              QStringList{QStringLiteral("run"), QStringLiteral("--once")}, QStringList{QStringLiteral("verify")}}) {
            const TfSyncRun run = m_stand->cli().run(command);
            QVERIFY2(exitedWith(run, 2), qPrintable(run.transcript()));
            QVERIFY2(run.err.contains(QStringLiteral("supabase")), qPrintable(run.transcript()));
            QVERIFY2(!run.err.contains(QStringLiteral("terminate called")), qPrintable(run.transcript()));
        }
    }

    // A service keeps running through an outage, says what is wrong each cycle, and syncs again once it is over.
    void serviceRidesOutAnOutage()
    {
        std::unique_ptr<QProcess> service
            = m_stand->cli().start({QStringLiteral("run"), QStringLiteral("--interval"), QStringLiteral("1")});
        QString seen;
        QVERIFY2(
            waitForOutput(*service, QRegularExpression(QStringLiteral("cycle .* contacts processed")), seen, 60000),
            qPrintable(seen + QString::fromUtf8(service->readAllStandardError())));
        m_stand->postgres().stop();
        QString errors;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000 && !errors.contains(QStringLiteral("error: supabase"))) {
            service->waitForReadyRead(500);
            errors += QString::fromUtf8(service->readAllStandardError());
        }
        QVERIFY2(errors.contains(QStringLiteral("error: supabase")), qPrintable(errors));
        QTest::qWait(3000); // a few more failing cycles
        QCOMPARE(service->state(), QProcess::Running);

        QCOMPARE(m_stand->postgres().startServer(), QString());
        QCOMPARE(m_stand->editor().setText(Layer::Local, m_stand->contactIds().first(), QStringLiteral("nickname"),
                                           QStringLiteral("after the outage")),
                 QString());
        seen.clear();
        QVERIFY2(
            waitForOutput(*service, QRegularExpression(QStringLiteral("supabase read \\d+ wrote [1-9]")), seen, 60000),
            qPrintable(seen + QString::fromUtf8(service->readAllStandardError())));
        service->terminate();
        QVERIFY(service->waitForFinished(60000));
        QCOMPARE(service->exitStatus(), QProcess::NormalExit);
        QCOMPARE(service->exitCode(), 0);
        const LayerSnapshot supabase = m_stand->reader().read(Layer::Supabase, {QStringLiteral("nickname")});
        QCOMPARE(supabase.value(m_stand->contactIds().first(), QStringLiteral("nickname")),
                 QStringLiteral("after the outage"));
    }

    void configMistakesStopEveryCommand_data()
    {
        QTest::addColumn<QString>("find");
        QTest::addColumn<QString>("replace");
        QTest::addColumn<QString>("named");
        QTest::newRow("hyphen instead of underscore")
            << QStringLiteral("conflict_policy=merge") << QStringLiteral("conflict-policy=manual")
            << QStringLiteral("sync/conflict-policy: unknown key (line ");
        QTest::newRow("misspelt section") << QStringLiteral("[bigquery]") << QStringLiteral("[bigqeury]")
                                          << QStringLiteral("[bigqeury]: unknown section");
        QTest::newRow("interval not a number") << QStringLiteral("interval_s=300") << QStringLiteral("interval_s=abc")
                                               << QStringLiteral("sync/interval_s: 'abc' is not a whole number");
        QTest::newRow("negative batch") << QStringLiteral("batch_size=200") << QStringLiteral("batch_size=-5")
                                        << QStringLiteral("sync/batch_size: '-5' is not a whole number");
        QTest::newRow("malformed line") << QStringLiteral("[local]") << QStringLiteral("[local]\nthis is not ini")
                                        << QStringLiteral("'this is not ini' is neither key=value");
        QTest::newRow("bad boolean") << QStringLiteral("[crm]") << QStringLiteral("[crm]\nallow_insecure=maybe")
                                     << QStringLiteral("crm/allow_insecure: 'maybe' is not true or false");
    }

    // Before: `initial` synced on defaults, a typo'd key was ignored. Now every command but `check` refuses the file,
    // naming key and line, and writes nothing; `check` reports it as UNSAFE.
    void configMistakesStopEveryCommand()
    {
        QFETCH(QString, find);
        QFETCH(QString, replace);
        QFETCH(QString, named);
        const QString config = variant(QStringLiteral("mistake.ini"), [&](QString &text) {
            QVERIFY2(text.contains(find), qPrintable(text));
            text.replace(find, replace);
        });
        const int before = m_stand->cli().totalSynced();
        for (const QStringList &command :
             {QStringList{QStringLiteral("initial")}, QStringList{QStringLiteral("run"), QStringLiteral("--once")},
              QStringList{QStringLiteral("push"), QStringLiteral("--source"), QStringLiteral("all")},
              QStringList{QStringLiteral("verify")}, QStringList{QStringLiteral("status")}}) {
            const TfSyncRun run = tfsync(config, command);
            QVERIFY2(exitedWith(run, 2), qPrintable(run.transcript()));
            QVERIFY2(run.err.contains(named), qPrintable(run.transcript()));
        }
        const TfSyncRun check = tfsync(config, {QStringLiteral("check"), QStringLiteral("--json")});
        QVERIFY2(exitedWith(check, 2), qPrintable(check.transcript()));
        QVERIFY2(check.out.contains(named.left(20)), qPrintable(check.transcript()));
        QCOMPARE(m_stand->cli().totalSynced(), before);
    }

    // QSettings split "Smith, John" into a list and the layer vanished; now the path is the path.
    void commaInAPathIsKept()
    {
        const QString folder = m_dir.filePath(QStringLiteral("Smith, John"));
        QVERIFY(QDir().mkpath(folder));
        const QString config = m_dir.filePath(QStringLiteral("comma.ini"));
        writeFile(config,
                  QStringLiteral("[local]\npath=%1/contacts.sqlite\n[sync]\nstate_path=%2/state.sqlite\n")
                      .arg(folder, m_dir.path())
                      .toUtf8());
        const TfSyncRun provision = tfsync(config, {QStringLiteral("provision")});
        QVERIFY2(exitedWith(provision, 0), qPrintable(provision.transcript()));
        QVERIFY(QFile::exists(folder + QStringLiteral("/contacts.sqlite")));
        const TfSyncRun initial = tfsync(config, {QStringLiteral("initial")});
        QVERIFY2(exitedWith(initial, 0), qPrintable(initial.transcript()));
        QVERIFY2(initial.out.contains(QStringLiteral("local read")), qPrintable(initial.transcript()));
    }

    void postgresWithoutADemandedPassword_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("PGPASSWORD") << QStringLiteral("pgpassword");
        QTest::newRow(".pgpass") << QStringLiteral("pgpass");
        QTest::newRow("trust over the Unix socket") << QStringLiteral("trust");
    }

    // libpq's conventions: the password may come from PGPASSWORD, ~/.pgpass, or not be needed at all. `run`
    // used to refuse such a dsn with "no credentials: TF_SUPABASE_PASSWORD".
    void postgresWithoutADemandedPassword()
    {
        QFETCH(QString, how);
        const QString password = qEnvironmentVariable("TF_SUPABASE_PASSWORD");
        const QString pgpass = m_dir.filePath(QStringLiteral("pgpass"));
        QString dsnFind = QStringLiteral("host=127.0.0.1 port=%1").arg(m_stand->postgres().port());
        QString dsnReplace = dsnFind;
        qunsetenv("TF_SUPABASE_PASSWORD");
        const auto restore = qScopeGuard([&] {
            qputenv("TF_SUPABASE_PASSWORD", password.toUtf8());
            qunsetenv("PGPASSWORD");
            qunsetenv("PGPASSFILE");
        });
        if (how == QLatin1String("pgpassword")) {
            qputenv("PGPASSWORD", password.toUtf8());
        } else if (how == QLatin1String("pgpass")) {
            QString escaped = password;
            escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char(':'), QStringLiteral("\\:"));
            writeFile(
                pgpass,
                QStringLiteral("127.0.0.1:%1:*:postgres:%2\n").arg(m_stand->postgres().port()).arg(escaped).toUtf8());
            QFile::setPermissions(pgpass, QFile::ReadOwner | QFile::WriteOwner);
            qputenv("PGPASSFILE", pgpass.toUtf8());
        } else {
            dsnReplace = QStringLiteral("host=%1 port=%2")
                             .arg(m_stand->postgres().socketDirectory())
                             .arg(m_stand->postgres().port());
        }
        const QString config
            = variant(QStringLiteral("nopassword.ini"), [&](QString &text) { text.replace(dsnFind, dsnReplace); });
        const TfSyncRun check = tfsync(config, {QStringLiteral("check"), QStringLiteral("--json")});
        QVERIFY2(check.exitCode == 0 || check.exitCode == 1, qPrintable(check.transcript()));
        QStringList supabase;
        for (const QJsonValue &item :
             QJsonDocument::fromJson(check.out.toUtf8()).object().value(QStringLiteral("checks")).toArray()) {
            if (item[QStringLiteral("layer")] == QStringLiteral("supabase")
                && item[QStringLiteral("status")] != QStringLiteral("pass"))
                supabase << item[QStringLiteral("check")].toString() + QStringLiteral(": ")
                        + item[QStringLiteral("message")].toString();
        }
        QVERIFY2(supabase.isEmpty(), qPrintable(supabase.join(QLatin1Char('\n'))));
        const TfSyncRun once = tfsync(config, {QStringLiteral("run"), QStringLiteral("--once")});
        QVERIFY2(once.exitCode == 0 || once.exitCode == 1, qPrintable(once.transcript()));
    }

    // Without any password the server's own answer is what the person reads, with where a password may come from.
    void postgresRefusalIsTheServersWords()
    {
        const QString password = qEnvironmentVariable("TF_SUPABASE_PASSWORD");
        qunsetenv("TF_SUPABASE_PASSWORD");
        const auto restore = qScopeGuard([&] { qputenv("TF_SUPABASE_PASSWORD", password.toUtf8()); });
        qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("no-such-pgpass")).toUtf8());
        const auto unset = qScopeGuard([] { qunsetenv("PGPASSFILE"); });
        const TfSyncRun check = m_stand->cli().run({QStringLiteral("check")});
        QVERIFY2(exitedWith(check, 2), qPrintable(check.transcript()));
        QVERIFY2(check.out.contains(QStringLiteral("no password supplied"))
                     || check.out.contains(QStringLiteral("password authentication failed")),
                 qPrintable(check.transcript()));
        QVERIFY2(check.out.contains(QStringLiteral(".pgpass")), qPrintable(check.transcript()));
        const TfSyncRun once = m_stand->cli().run({QStringLiteral("run"), QStringLiteral("--once")});
        QVERIFY2(exitedWith(once, 2), qPrintable(once.transcript()));
    }

    void plaintextToAnotherMachineIsUnsafe_data()
    {
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("find");
        QTest::addColumn<QString>("replace");
        QTest::addColumn<QString>("named");
        QTest::newRow("crm over http") << QStringLiteral("crm") << m_stand->config().crm->url
                                       << QStringLiteral("http://10.20.30.40:3000") << QStringLiteral("10.20.30.40");
        QTest::newRow("a name that starts like loopback")
            << QStringLiteral("crm") << m_stand->config().crm->url << QStringLiteral("http://127.evil.example:3000")
            << QStringLiteral("127.evil.example");
        QTest::newRow("bigquery over http")
            << QStringLiteral("bigquery") << m_stand->config().bigquery->endpoint
            << QStringLiteral("http://bigquery.internal.example:9050") << QStringLiteral("bigquery.internal.example");
        QTest::newRow("postgres with sslmode=prefer")
            << QStringLiteral("supabase") << QStringLiteral("host=127.0.0.1") << QStringLiteral("host=db.example.com")
            << QStringLiteral("sslmode=disable");
    }

    // No key, no password and no contact travels unencrypted to another machine unless the user says so by name.
    // The connector refuses before it connects anywhere, so these return at once.
    void plaintextToAnotherMachineIsUnsafe()
    {
        QFETCH(QString, section);
        QFETCH(QString, find);
        QFETCH(QString, replace);
        QFETCH(QString, named);
        const QString config = variant(QStringLiteral("plaintext.ini"), [&](QString &text) {
            QVERIFY2(text.contains(find), qPrintable(find));
            text.replace(find, replace);
        });
        const TfSyncRun check = tfsync(config, {QStringLiteral("check")}, 30000);
        QVERIFY2(exitedWith(check, 2), qPrintable(check.transcript()));
        QVERIFY2(check.out.contains(named)
                     && check.out.contains(QStringLiteral("allow_insecure=true in [%1]").arg(section)),
                 qPrintable(check.transcript()));
        QVERIFY2(check.out.contains(QStringLiteral("UNSAFE")), qPrintable(check.transcript()));
        for (const QStringList &command :
             {QStringList{QStringLiteral("initial")},
              QStringList{QStringLiteral("push"), QStringLiteral("--source"), QStringLiteral("local")},
              QStringList{QStringLiteral("run"), QStringLiteral("--once")}}) {
            const TfSyncRun run = tfsync(config, command, 30000);
            QVERIFY2(exitedWith(run, 2), qPrintable(run.transcript()));
            QVERIFY2(run.err.contains(QStringLiteral("UNSAFE")) && run.err.contains(named),
                     qPrintable(run.transcript()));
        }
    }

    // A Retry-After beyond max_retry_after_s ends the layer's part of the cycle at once, naming the wait; a shorter
    // one is waited out and shown in `tfsync status` while it lasts.
    void longRetryAfterIsCappedAndShown()
    {
        EmulatorProcess twenty;
        // 3 requests a minute: from the fourth on, Twenty asks for a 20 s wait.
        QCOMPARE(twenty.start(QStringLiteral("tf-twenty-emulator"),
                              {QStringLiteral("--api-key"), QString::fromLatin1(DemoStand::twentyApiKey()),
                               QStringLiteral("--rate-long"), QStringLiteral("3/60000")}),
                 QString());
        const QString config = m_dir.filePath(QStringLiteral("ratelimited.ini"));
        writeFile(config,
                  QStringLiteral("[crm]\nurl=%1\nrequests_per_minute=100000\n[local]\npath=%2\n[sync]\nstate_path=%3\n"
                                 "max_retry_after_s=5\n")
                      .arg(twenty.baseUrl().toString(), m_stand->config().local->path,
                           m_dir.filePath(QStringLiteral("ratelimited-state.sqlite")))
                      .toUtf8());
        QCOMPARE(tfsync(config, {QStringLiteral("provision")}).exitCode, 0);
        // The local layer's contacts have to reach Twenty: many requests.
        const TfSyncRun capped = tfsync(config, {QStringLiteral("initial")}, 90000);
        QVERIFY2(exitedWith(capped, 2), qPrintable(capped.transcript()));
        QVERIFY2(capped.err.contains(
                     QRegularExpression(QStringLiteral("asks to wait \\d+ s, longer than max_retry_after_s=5"))),
                 qPrintable(capped.transcript()));

        // A cap above Twenty's wait: the sync sits it out and says so while it waits.
        QString text = readFile(config);
        text.replace(QStringLiteral("max_retry_after_s=5"), QStringLiteral("max_retry_after_s=120"));
        writeFile(config, text.toUtf8());
        // A full bucket, and Twenty's 429 with its Retry-After (20 s here) on the cycle's first request.
        twenty.admin("POST", QStringLiteral("rate-limit"));
        QVERIFY(twenty.setFaults(QJsonObject{{QStringLiteral("next"),
                                              QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")},
                                                                     {QStringLiteral("status"), 429}}}}}));
        std::unique_ptr<QProcess> cycle = TfSyncCli(config, m_log).start({QStringLiteral("initial")});
        QVERIFY(cycle->waitForStarted(30000));
        QJsonObject waiting;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000 && waiting.isEmpty() && cycle->state() == QProcess::Running) {
            const TfSyncRun status = tfsync(config, {QStringLiteral("status"), QStringLiteral("--json")});
            waiting = QJsonDocument::fromJson(status.out.toUtf8())
                          .object()
                          .value(QStringLiteral("layers"))
                          .toObject()
                          .value(QStringLiteral("crm"))
                          .toObject()
                          .value(QStringLiteral("waiting"))
                          .toObject();
            QTest::qWait(300);
        }
        cycle->kill();
        cycle->waitForFinished(10000);
        QVERIFY2(!waiting.isEmpty(), qPrintable(QString::fromUtf8(cycle->readAllStandardError())));
        QVERIFY2(waiting.value(QStringLiteral("reason")).toString().contains(QStringLiteral("Retry-After")),
                 qPrintable(QJsonDocument(waiting).toJson()));
        QVERIFY(waiting.value(QStringLiteral("seconds")).toInt() > 0);
    }

    // Two instances with their own state databases and one local file: the second one refuses, naming the file.
    void secondInstanceOnTheSameLocalFileRefuses()
    {
        const QString local = m_stand->config().local->path;
        const QString config = m_dir.filePath(QStringLiteral("second.ini"));
        const QString first = m_dir.filePath(QStringLiteral("first.ini"));
        for (const auto &[path, state] : {std::pair{first, QStringLiteral("first-state.sqlite")},
                                          std::pair{config, QStringLiteral("second-state.sqlite")}}) {
            writeFile(
                path,
                QStringLiteral("[local]\npath=%1\n[sync]\nstate_path=%2\n").arg(local, m_dir.filePath(state)).toUtf8());
        }
        std::unique_ptr<QProcess> running
            = TfSyncCli(first, m_log).start({QStringLiteral("run"), QStringLiteral("--interval"), QStringLiteral("1")});
        QString seen;
        QVERIFY2(waitForOutput(*running, QRegularExpression(QStringLiteral("cycle ")), seen, 60000),
                 qPrintable(seen + QString::fromUtf8(running->readAllStandardError())));
        const TfSyncRun second = tfsync(config, {QStringLiteral("run"), QStringLiteral("--once")});
        const TfSyncRun check = tfsync(config, {QStringLiteral("check")});
        running->terminate();
        QVERIFY(running->waitForFinished(60000));
        QVERIFY2(exitedWith(second, 2), qPrintable(second.transcript()));
        QVERIFY2(second.err.contains(local), qPrintable(second.transcript()));
        QVERIFY2(exitedWith(check, 2) && check.out.contains(local), qPrintable(check.transcript()));
        // Once the first one stopped, the second one syncs.
        const TfSyncRun after = tfsync(config, {QStringLiteral("run"), QStringLiteral("--once")});
        QVERIFY2(after.exitCode == 0 || after.exitCode == 1, qPrintable(after.transcript()));
    }

    // The unit's own ExecStartPre line: warnings (here, layers not configured) start the service, UNSAFE does not.
    void systemdStartGateStopsOnlyOnUnsafe()
    {
        const QString unit = readFile(qEnvironmentVariable("TF_SOURCE_DIR")
                                      + QStringLiteral("/installers/systemd/truthforge-sync.service"));
        const QRegularExpressionMatch line
            = QRegularExpression(QStringLiteral("^ExecStartPre=(\\S+)(.*)$"), QRegularExpression::MultilineOption)
                  .match(unit);
        QVERIFY2(line.hasMatch(), qPrintable(unit));
        QVERIFY(line.captured(1).endsWith(QStringLiteral("/tfsync")));
        const QStringList arguments = line.captured(2).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const QString warningsOnly = m_dir.filePath(QStringLiteral("warnings.ini"));
        writeFile(
            warningsOnly,
            QStringLiteral("[local]\npath=%1\n[sync]\nstate_path=%2\n")
                .arg(m_dir.filePath(QStringLiteral("gate.sqlite")), m_dir.filePath(QStringLiteral("gate-state.sqlite")))
                .toUtf8());
        QCOMPARE(tfsync(warningsOnly, {QStringLiteral("provision")}).exitCode, 0);
        const TfSyncRun warned = tfsync(warningsOnly, arguments);
        QVERIFY2(exitedWith(warned, 0), qPrintable(warned.transcript()));
        QVERIFY2(warned.out.contains(QStringLiteral("SAFE_WITH_WARNINGS")), qPrintable(warned.transcript()));
        const QString unsafe = variant(QStringLiteral("gate-unsafe.ini"), [](QString &text) {
            text.replace(QStringLiteral("[sync]"), QStringLiteral("[sync]\nbatch_size=often"));
        });
        QVERIFY2(exitedWith(tfsync(unsafe, arguments), 2), "UNSAFE must stop the service");
    }
};

QTEST_GUILESS_MAIN(TestHardening)
#include "tst_hardening.moc"
