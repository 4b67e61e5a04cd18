#include "connectors/sqlite/sqliteconnector.h"
#include "core/contactgenerator.h"
#include "core/contenthash.h"
#include "support/testcontacts.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

// The local layer on real SQLite files; outside edits through the real sqlite3 program.
class TestSqliteConnector : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    LocalSettings freshFile() { return LocalSettings{m_dir.filePath(QStringLiteral("local-%1.sqlite").arg(++m_files))}; }

    static QString shell(const QString &file, const QString &sql)
    {
        QProcess process;
        process.start(QStringLiteral("sqlite3"), {file, sql});
        process.waitForFinished(30000);
        return QString::fromUtf8(process.readAllStandardError()) + QString::fromUtf8(process.readAllStandardOutput());
    }

    static QList<Contact> drain(SqliteConnector &connector, QString *watermark, int limit = 1000)
    {
        QList<Contact> all;
        for (int guard = 0; guard < 10000; ++guard) {
            const ChangePage page = connector.readChanges(*watermark, limit);
            all += page.contacts;
            *watermark = page.nextWatermark;
            if (!page.hasMore)
                break;
        }
        return all;
    }

private slots:
    void everyFieldRoundTrips()
    {
        SqliteConnector connector(freshFile());
        connector.provision();
        QList<Contact> batch = ContactGenerator(5).take(40);
        batch.append(test::hostileContact(QStringLiteral("hostile-1")));
        const WriteResult result = connector.writeBatch(batch);
        QVERIFY(result.rejected.isEmpty());
        QCOMPARE(result.stored.size(), batch.size());
        const QList<Contact> read = connector.readByIds({batch.first().id(), QStringLiteral("hostile-1")});
        QCOMPARE(read.size(), 2);
        QCOMPARE(test::differingFields(read.at(0), batch.first()), QStringList());
        QCOMPARE(test::differingFields(read.at(1), batch.last()), QStringList());
        QVERIFY(read.at(1).text(QStringLiteral("notes")).size() > 1024 * 1024);
        QVERIFY(read.at(1).timestamp(field::UpdatedAt).isValid()); // set by the layer
    }

    void outsideWritesAreCapturedAndOwnWritesAreNot()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const QList<Contact> batch = ContactGenerator(6).take(5);
        connector.writeBatch(batch);
        QString watermark;
        QCOMPARE(drain(connector, &watermark).size(), 5); // the initial read sees the table
        QCOMPARE(drain(connector, &watermark).size(), 0); // the sync's own writes are not changes

        const QString id = batch.at(2).id();
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET job_title = 'Shell edit' WHERE contact_id = '%1';").arg(id)), QString());
        QCOMPARE(shell(settings.path, QStringLiteral("INSERT INTO contacts (contact_id, given_name) VALUES ('typed-in', 'Typed');")), QString());
        QCOMPARE(shell(settings.path, QStringLiteral("DELETE FROM contacts WHERE contact_id = '%1';").arg(batch.at(3).id())), QString());
        const QList<Contact> changes = drain(connector, &watermark);
        QCOMPARE(changes.size(), 3);
        QCOMPARE(changes.at(0).text(QStringLiteral("job_title")), QStringLiteral("Shell edit"));
        QVERIFY(changes.at(0).timestamp(field::UpdatedAt) > batch.at(2).timestamp(field::UpdatedAt)); // bumped by the trigger
        QCOMPARE(changes.at(1).id(), QStringLiteral("typed-in"));
        QVERIFY(changes.at(1).timestamp(field::UpdatedAt).isValid());
        // A physical delete is a tombstone that keeps every old value.
        QCOMPARE(changes.at(2).id(), batch.at(3).id());
        QVERIFY(changes.at(2).isDeleted());
        QStringList differing = test::differingFields(changes.at(2), batch.at(3));
        QCOMPARE(differing, QStringList{QStringLiteral("deleted_at")});
        QCOMPARE(connector.readByIds({batch.at(3).id()}).size(), 1);
        QVERIFY(connector.readByIds({batch.at(3).id()}).first().isDeleted());
    }

    void theSameBatchTwiceChangesNothing()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const QList<Contact> batch = ContactGenerator(7).take(20);
        const WriteResult first = connector.writeBatch(batch);
        const QString logSize = shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts_changelog;"));
        const WriteResult second = connector.writeBatch(batch);
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts_changelog;")), logSize);
        for (int i = 0; i < batch.size(); ++i)
            QCOMPARE(second.stored.at(i).timestamp(field::UpdatedAt), first.stored.at(i).timestamp(field::UpdatedAt));
    }

    void tombstonesAreRowsNotDeletes()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        Contact contact = ContactGenerator(8).next();
        connector.writeBatch({contact});
        contact.setValue(field::DeletedAt, QDateTime::currentDateTimeUtc());
        connector.writeBatch({contact});
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL;")).trimmed(), QStringLiteral("1"));
    }

    void pagingLosesAndRepeatsNothing()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const QList<Contact> batch = ContactGenerator(9).take(1000);
        connector.writeBatch(batch);
        QString watermark;
        QSet<QString> seen;
        int pages = 0;
        for (;;) {
            const ChangePage page = connector.readChanges(watermark, 37);
            for (const Contact &c : page.contacts) {
                QVERIFY2(!seen.contains(c.id()), qPrintable(c.id()));
                seen.insert(c.id());
            }
            ++pages;
            watermark = page.nextWatermark;
            if (!page.hasMore)
                break;
        }
        QCOMPARE(seen.size(), 1000);
        QVERIFY(pages >= 27);
        // Outside edits to many rows page through the log the same way.
        shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'bulk';"));
        QSet<QString> changed;
        for (;;) {
            const ChangePage page = connector.readChanges(watermark, 37);
            for (const Contact &c : page.contacts)
                changed.insert(c.id());
            watermark = page.nextWatermark;
            if (!page.hasMore)
                break;
        }
        QCOMPARE(changed.size(), 1000);
    }

    void aWatermarkSurvivesARestart()
    {
        const LocalSettings settings = freshFile();
        QString watermark;
        {
            SqliteConnector connector(settings);
            connector.provision();
            connector.writeBatch(ContactGenerator(10).take(3));
            drain(connector, &watermark);
        }
        shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'while closed' WHERE rowid = 1;"));
        SqliteConnector reopened(settings);
        const QList<Contact> changes = drain(reopened, &watermark);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().text(QStringLiteral("nickname")), QStringLiteral("while closed"));
    }

    void provisionIsIdempotentAndRepairsAMissingColumn()
    {
        {
            SqliteConnector twice(freshFile());
            twice.provision();
            twice.provision();
        }
        // A table from an older version, created by hand, lacking most contract columns.
        const LocalSettings settings = freshFile();
        QCOMPARE(shell(settings.path, QStringLiteral("CREATE TABLE contacts (contact_id TEXT PRIMARY KEY, given_name TEXT); "
                                                     "INSERT INTO contacts VALUES ('old-1', 'Kept');")), QString());
        SqliteConnector connector(settings);
        bool named = false;
        for (const HealthCheck &check : connector.healthChecks()) {
            if (check.name == QLatin1String("schema")) {
                QVERIFY(!check.ok);
                named = check.message.contains(QStringLiteral("lacks column nickname"));
            }
        }
        QVERIFY(named);
        connector.provision();
        for (const HealthCheck &check : connector.healthChecks())
            QVERIFY2(check.ok, qPrintable(check.message));
        QCOMPARE(connector.readByIds({QStringLiteral("old-1")}).first().text(QStringLiteral("given_name")), QStringLiteral("Kept"));
    }

    void aCorruptFileIsNamed()
    {
        const LocalSettings settings = freshFile();
        QFile file(settings.path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("garbage, not a database\n").repeated(500));
        file.close();
        SqliteConnector connector(settings);
        try {
            connector.readChanges(QString(), 10);
            QFAIL("a corrupt file was read");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.layer(), Layer::Local);
            QVERIFY2(QString::fromUtf8(error.what()).contains(settings.path), error.what());
        }
    }

    void malformedTextFromTheShellIsKept()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        shell(settings.path, QStringLiteral("INSERT INTO contacts (contact_id, llm_summary, tags, created_at) "
                                            "VALUES ('broken', '{not json', 'plain tag', 'yesterday');"));
        const Contact read = connector.readByIds({QStringLiteral("broken")}).first();
        QCOMPARE(read.json(QStringLiteral("llm_summary")).toString(), QStringLiteral("{not json"));
        QCOMPARE(read.list(QStringLiteral("tags")), QStringList{QStringLiteral("plain tag")});
        QVERIFY(!read.timestamp(field::CreatedAt).isValid());
    }
};

QTEST_GUILESS_MAIN(TestSqliteConnector)
#include "tst_sqliteconnector.moc"
