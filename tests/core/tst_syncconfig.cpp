#include "core/syncconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

class TestSyncConfig : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const char *name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(text);
        return path;
    }

private slots:
    void readsTheDesignExample()
    {
        const QString path = write("sync.ini", R"([bigquery]
project=demo-project
dataset=truth_forge
table=contacts
location=US
endpoint=http://127.0.0.1:9050
[crm]
url=http://127.0.0.1:3000
[supabase]
dsn=host=127.0.0.1 port=5432 dbname=postgres user=postgres sslmode=disable
schema=public
table=contacts
[local]
path=/tmp/contacts.sqlite
[sync]
interval_s=120
batch_size=50
conflict_policy=last-writer-wins
state_path=/tmp/state.sqlite
)");
        const SyncConfig config = SyncConfig::load(path);
        QCOMPARE(config.errors, QStringList());
        QCOMPARE(config.configuredLayers().size(), 4);
        QCOMPARE(config.bigquery->endpoint, QStringLiteral("http://127.0.0.1:9050"));
        QCOMPARE(config.supabase->dsn, QStringLiteral("host=127.0.0.1 port=5432 dbname=postgres user=postgres sslmode=disable"));
        QCOMPARE(config.sync.intervalSeconds, 120);
        QCOMPARE(config.sync.batchSize, 50);
        QCOMPARE(config.sync.conflictPolicy, ConflictPolicy::LastWriterWins);
        QCOMPARE(config.sync.statePath, QStringLiteral("/tmp/state.sqlite"));
    }

    void missingSectionMeansNotConfigured()
    {
        const SyncConfig config = SyncConfig::load(write("partial.ini", "[local]\npath=/tmp/x.sqlite\n"));
        QCOMPARE(config.errors, QStringList());
        QVERIFY(config.isConfigured(Layer::Local));
        QVERIFY(!config.isConfigured(Layer::BigQuery));
        QCOMPARE(config.sync.intervalSeconds, 300);
        QCOMPARE(config.sync.batchSize, 100);
        QCOMPARE(config.sync.conflictPolicy, ConflictPolicy::Merge);
    }

    void badValuesNameTheirKey()
    {
        const SyncConfig config = SyncConfig::load(
            write("bad.ini", "[crm]\n[sync]\ninterval_s=often\nbatch_size=-3\nconflict_policy=coin-flip\n"));
        const QString all = config.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("sync/interval_s: 'often'")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("sync/batch_size")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("sync/conflict_policy: 'coin-flip'")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("crm/url: missing")), qPrintable(all));
        QCOMPARE(config.sync.intervalSeconds, 300); // defaults survive bad input
    }

    void missingFileIsAnError()
    {
        const SyncConfig config = SyncConfig::load(m_dir.filePath(QStringLiteral("nope.ini")));
        QCOMPARE(config.errors.size(), 1);
        QVERIFY(config.errors.first().contains(QStringLiteral("does not exist")));
    }

    void binaryGarbageDoesNotCrash()
    {
        QByteArray garbage;
        for (int i = 0; i < 4096; ++i)
            garbage.append(char((i * 131) % 256));
        const SyncConfig config = SyncConfig::load(write("garbage.ini", garbage));
        QVERIFY(!config.errors.isEmpty());
        QVERIFY2(config.errors.join(QLatin1Char('\n')).contains(QStringLiteral("line 1:")),
                 qPrintable(config.errors.join(QLatin1Char('\n'))));
    }

    // QSettings read an unquoted comma as a list separator: the value's toString() was empty and the layer vanished.
    void commasArePartOfTheValue()
    {
        const SyncConfig config = SyncConfig::load(write("comma.ini",
                                                         "[local]\npath=/home/me/Smith, John/contacts.sqlite\n"
                                                         "[supabase]\ndsn=host=db.example.com options='-c a=b,c'\n"));
        QCOMPARE(config.errors, QStringList());
        QCOMPARE(config.local->path, QStringLiteral("/home/me/Smith, John/contacts.sqlite"));
        QCOMPARE(config.supabase->dsn, QStringLiteral("host=db.example.com options='-c a=b,c'"));
    }

    void typosAreNamedWithTheirLine()
    {
        const SyncConfig config = SyncConfig::load(write("typo.ini",
                                                         "[bigqeury]\nproject=p\n[sync]\nconflict-policy=manual\n"
                                                         "batch_size=10\nbatch_size=20\n"));
        const QString all = config.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("[bigqeury]: unknown section (line 1) (did you mean [bigquery]?)")),
                 qPrintable(all));
        QVERIFY2(
            all.contains(QStringLiteral("sync/conflict-policy: unknown key (line 4) (did you mean conflict_policy?)")),
            qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("sync/batch_size: set twice (lines 5 and 6)")), qPrintable(all));
        QCOMPARE(config.errors.size(), 3);
        QVERIFY(!config.isConfigured(Layer::BigQuery));
    }

    void unreadableLinesAreErrors()
    {
        const SyncConfig config = SyncConfig::load(write("lines.ini",
                                                         "orphan=1\n[sync\n[local]\njust words\npath=\"/x\n"
                                                         "[sync]\ninterval_s=1\\q\n"));
        const QString all = config.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("line 1: key 'orphan' is outside any [section]")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 2: '[sync' is not a [section] header")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 4: 'just words' is neither key=value")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 5: a quote is not closed")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 7: unknown escape '\\q'")), qPrintable(all));
    }

    void invalidUtf8AndNulAreErrors()
    {
        static const char bytes[] = "[local]\npath=/tmp/\xff\xfe.sqlite\n[sync]\nstate_path=/tmp/a\0b\n";
        const SyncConfig config = SyncConfig::load(write("bytes.ini", QByteArray(bytes, sizeof(bytes) - 1)));
        const QString all = config.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("line 2: is not valid UTF-8")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 4: contains a NUL byte")), qPrintable(all));
    }

    void commentsQuotesAndEscapes()
    {
        const SyncConfig config
            = SyncConfig::load(write("quotes.ini",
                                     "# a comment\n; another\n[sync] ; the engine\n"
                                     "conflict_policy = manual   ; merge | manual\n"
                                     "state_path=\"/tmp/a;b \\\"c\\\" \"\n"
                                     "[crm]\nurl=https://crm.example.com/#x\nallow_insecure=yes\n"));
        QCOMPARE(config.errors, QStringList());
        QCOMPARE(config.sync.conflictPolicy, ConflictPolicy::Manual);
        QCOMPARE(config.sync.statePath, QStringLiteral("/tmp/a;b \"c\" ")); // the blank inside the quotes stays
        QCOMPARE(config.crm->url, QStringLiteral("https://crm.example.com/#x"));
        QVERIFY(config.crm->allowInsecure);
        const SyncConfig bad = SyncConfig::load(write("bool.ini", "[crm]\nurl=https://x\nallow_insecure=perhaps\n"));
        QVERIFY2(bad.errors.join(QLatin1Char('\n'))
                     .contains(QStringLiteral("crm/allow_insecure: 'perhaps' is not true or false (line 3)")),
                 qPrintable(bad.errors.join(QLatin1Char('\n'))));
    }

    void anyValueSurvivesSaveAndLoad()
    {
        const QStringList values{QStringLiteral("/home/me/Smith, John/c.sqlite"), QStringLiteral(" padded "),
                                 QStringLiteral("semi;colon \"quoted\" back\\slash"),
                                 QStringLiteral("tab\there\nnewline"), QStringLiteral("Zoë/日本/контакты")};
        for (const QString &value : values) {
            SyncConfig config;
            config.local = LocalSettings{value};
            config.sync.statePath = QStringLiteral("/tmp/s.sqlite");
            const QString path = m_dir.filePath(QStringLiteral("values/sync.ini"));
            config.save(path);
            const SyncConfig loaded = SyncConfig::load(path);
            QCOMPARE(loaded.errors, QStringList());
            QCOMPARE(loaded.local->path, value);
        }
    }

    void saveAndLoadRoundTrip()
    {
        SyncConfig config;
        config.local = LocalSettings{QStringLiteral("/tmp/a.sqlite")};
        config.crm = CrmSettings{QStringLiteral("http://127.0.0.1:1"), 50, false};
        config.sync.conflictPolicy = ConflictPolicy::Manual;
        config.sync.statePath = QStringLiteral("/tmp/s.sqlite");
        const QString path = m_dir.filePath(QStringLiteral("saved/sync.ini"));
        config.save(path);
        const SyncConfig loaded = SyncConfig::load(path);
        QCOMPARE(loaded.errors, QStringList());
        QCOMPARE(loaded.crm->requestsPerMinute, 50);
        QCOMPARE(loaded.sync.conflictPolicy, ConflictPolicy::Manual);
        QCOMPARE(loaded.local->path, QStringLiteral("/tmp/a.sqlite"));
        QVERIFY(!loaded.isConfigured(Layer::Supabase));
    }
};

QTEST_GUILESS_MAIN(TestSyncConfig)
#include "tst_syncconfig.moc"
