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
        QVERIFY(config.configuredLayers().isEmpty() || !config.errors.isEmpty());
    }

    void saveAndLoadRoundTrip()
    {
        SyncConfig config;
        config.local = LocalSettings{QStringLiteral("/tmp/a.sqlite")};
        config.crm = CrmSettings{QStringLiteral("http://127.0.0.1:1"), 50};
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
