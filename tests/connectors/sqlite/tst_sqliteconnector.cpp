#include "connectors/sqlite/sqliteconnector.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "support/testcontacts.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

using namespace tf;

// The local layer on real SQLite files in a temporary directory; outside edits go through the real sqlite3
// program, as a person in a shell would make them, also between two instances of the connector (an app restart).
class TestSqliteConnector : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    LocalSettings freshFile() { return LocalSettings{m_dir.filePath(QStringLiteral("local-%1.sqlite").arg(++m_files))}; }

    // Runs sql in the sqlite3 shell; returns what it printed, errors included (a write prints nothing).
    static QString shell(const QString &file, const QString &sql)
    {
        QProcess process;
        process.start(QStringLiteral("sqlite3"), {file, sql});
        if (!process.waitForFinished(30000))
            return QStringLiteral("sqlite3 did not finish");
        return QString::fromUtf8(process.readAllStandardError() + process.readAllStandardOutput()).trimmed();
    }

    static int logEntries(const QString &file, const QString &origin)
    {
        return shell(file, QStringLiteral("SELECT count(*) FROM contacts_changelog WHERE origin = '%1';").arg(origin)).toInt();
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

    static QString checkMessage(SqliteConnector &connector, const QString &name)
    {
        for (const HealthCheck &check : connector.healthChecks()) {
            if (check.name == name)
                return check.ok ? QStringLiteral("ok") : check.message;
        }
        return QStringLiteral("no check named ") + name;
    }

    // A connector on a fresh file holding `count` contacts written by the sync; `batch` receives them.
    std::unique_ptr<SqliteConnector> seeded(LocalSettings *settings, int seed, int count, QList<Contact> *batch)
    {
        *settings = freshFile();
        auto connector = std::make_unique<SqliteConnector>(*settings);
        connector->provision();
        *batch = ContactGenerator(seed).take(count);
        connector->writeBatch(*batch, {});
        return connector;
    }

    static Contact withNickname(Contact contact, const QString &nickname)
    {
        contact.setValue(QStringLiteral("nickname"), nickname);
        return contact;
    }

    static QString nicknameIn(const QString &file, const QString &contactId)
    {
        return shell(
            file,
            QStringLiteral("SELECT coalesce(nickname, 'NULL') FROM contacts WHERE contact_id = '%1';").arg(contactId));
    }

    static QString failureOf(const std::function<void()> &call, ConnectorError::Kind *kind = nullptr)
    {
        try {
            call();
        } catch (const ConnectorError &error) {
            if (kind)
                *kind = error.kind();
            return QString::fromUtf8(error.what());
        }
        return QString();
    }

private slots:
    void theTableHasExactlyTheContractColumns()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector(settings).provision();
        QStringList expected;
        for (const FieldSpec &spec : FieldRegistry::fields())
            expected << spec.name + QLatin1Char('|') + spec.sqliteType.section(QLatin1Char(' '), 0, 0);
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT name || '|' || type FROM pragma_table_info('contacts') ORDER BY cid;")),
                 expected.join(QLatin1Char('\n')));
        QCOMPARE(shell(settings.path, QStringLiteral("PRAGMA journal_mode;")), QStringLiteral("wal"));
    }

    void everyFieldRoundTrips()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        QList<Contact> batch = ContactGenerator(5).take(40);
        batch.append(test::hostileContact(QStringLiteral("hostile-1")));
        const WriteResult result = connector.writeBatch(batch, {});
        QVERIFY(result.rejected.isEmpty());
        QCOMPARE(result.stored.size(), batch.size());
        QStringList ids;
        for (const Contact &contact : batch)
            ids << contact.id();
        const QList<Contact> read = connector.readByIds(ids);
        QCOMPARE(read.size(), batch.size());
        for (int i = 0; i < batch.size(); ++i) {
            QCOMPARE(test::differingFields(result.stored.at(i), batch.at(i)), QStringList());
            QCOMPARE(test::differingFields(read.at(i), batch.at(i)), QStringList());
            QCOMPARE(ContactNormalizer::canonicalText(FieldRegistry::field(field::SyncMeta), read.at(i).value(field::SyncMeta)),
                     ContactNormalizer::canonicalText(FieldRegistry::field(field::SyncMeta), batch.at(i).value(field::SyncMeta)));
            QVERIFY(read.at(i).timestamp(field::UpdatedAt).isValid()); // set by the layer
        }
        QCOMPARE(read.last().text(QStringLiteral("notes")), batch.last().text(QStringLiteral("notes")));
        QVERIFY(read.last().text(QStringLiteral("notes")).size() > 1024 * 1024);

        // In the file itself: the contract's layouts, readable by any other program.
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT created_at, json_type(tags), json_valid(llm_summary), "
                                                     "typeof(relationship_strength) FROM contacts WHERE contact_id = 'hostile-1';")),
                 QStringLiteral("1999-12-31T23:59:59.999000Z|array|1|real"));
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"))
                    .match(shell(settings.path, QStringLiteral("SELECT updated_at FROM contacts WHERE contact_id = 'hostile-1';")))
                    .hasMatch());
    }

    void notANumberIsStoredAsNull()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        Contact contact = ContactGenerator(11).next();
        contact.setValue(QStringLiteral("relationship_strength"), std::nan(""));
        QVERIFY(connector.writeBatch({contact}, {}).rejected.isEmpty());
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT typeof(relationship_strength) FROM contacts;")), QStringLiteral("null"));
    }

    void outsideWritesAreCapturedOnceEach()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const QList<Contact> batch = ContactGenerator(6).take(5);
        const WriteResult written = connector.writeBatch(batch, {});
        QString watermark;
        QCOMPARE(drain(connector, &watermark).size(), 5); // the initial read sees the whole table

        const QString edited = batch.at(2).id();
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET job_title = 'Shell edit' WHERE contact_id = '%1';").arg(edited)), QString());
        QCOMPARE(logEntries(settings.path, QStringLiteral("external")), 1); // the updated_at bump is not a second entry
        QCOMPARE(shell(settings.path, QStringLiteral("INSERT INTO contacts (contact_id, given_name) VALUES ('typed-in', 'Typed');")), QString());
        QCOMPARE(logEntries(settings.path, QStringLiteral("external")), 2);
        QCOMPARE(shell(settings.path, QStringLiteral("DELETE FROM contacts WHERE contact_id = '%1';").arg(batch.at(3).id())), QString());
        QCOMPARE(logEntries(settings.path, QStringLiteral("external")), 3);

        const QList<Contact> changes = drain(connector, &watermark);
        QCOMPARE(changes.size(), 3);
        QCOMPARE(changes.at(0).id(), edited);
        QCOMPARE(changes.at(0).text(QStringLiteral("job_title")), QStringLiteral("Shell edit"));
        QVERIFY(changes.at(0).timestamp(field::UpdatedAt) > written.stored.at(2).timestamp(field::UpdatedAt)); // bumped
        QCOMPARE(changes.at(1).id(), QStringLiteral("typed-in"));
        QVERIFY(changes.at(1).timestamp(field::UpdatedAt).isValid()); // set on an insert without one
        // A physical delete is a tombstone that keeps every old value.
        QCOMPARE(changes.at(2).id(), batch.at(3).id());
        QVERIFY(changes.at(2).isDeleted());
        QCOMPARE(test::differingFields(changes.at(2), batch.at(3)), QStringList{QStringLiteral("deleted_at")});
        const QList<Contact> byId = connector.readByIds({batch.at(3).id()});
        QCOMPARE(byId.size(), 1);
        QVERIFY(byId.first().isDeleted());
        QCOMPARE(test::differingFields(byId.first(), changes.at(2)), QStringList());
        QCOMPARE(drain(connector, &watermark).size(), 0);
    }

    void anUpdatedAtSetByThePersonIsKept()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const Contact contact = ContactGenerator(12).next();
        connector.writeBatch({contact}, {});
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'n', updated_at = '2030-01-02T03:04:05.678000Z';")), QString());
        QCOMPARE(connector.readByIds({contact.id()}).first().timestamp(field::UpdatedAt),
                 QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5, 678), Qt::UTC));
        QCOMPARE(logEntries(settings.path, QStringLiteral("external")), 1);
    }

    void aChangedContactIdRemovesTheOldContact()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const Contact contact = ContactGenerator(13).next();
        connector.writeBatch({contact}, {});
        QString watermark;
        drain(connector, &watermark);
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET contact_id = 'renamed';")), QString());
        const QList<Contact> changes = drain(connector, &watermark);
        QCOMPARE(changes.size(), 2);
        for (const Contact &change : changes) {
            QCOMPARE(change.isDeleted(), change.id() == contact.id());
            QCOMPARE(change.text(QStringLiteral("family_name")), contact.text(QStringLiteral("family_name")));
        }
    }

    void theSyncsOwnWritesAreNotEchoed()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        QList<Contact> batch = ContactGenerator(14).take(10);
        connector.writeBatch(batch, {});
        QString watermark;
        QCOMPARE(drain(connector, &watermark).size(), 10);
        batch[0].setValue(QStringLiteral("nickname"), QStringLiteral("changed by the sync"));
        batch[1].setValue(field::DeletedAt, QDateTime::currentDateTimeUtc());
        batch.append(ContactGenerator(15).next());
        connector.writeBatch(batch, {});
        QCOMPARE(drain(connector, &watermark).size(), 0);
        QCOMPARE(logEntries(settings.path, QStringLiteral("external")), 0);
        QCOMPARE(logEntries(settings.path, QStringLiteral("sync")), 13);
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT applying || stamping FROM sync_control;")), QStringLiteral("00"));
    }

    void theSameBatchTwiceChangesNothing()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        QList<Contact> batch = ContactGenerator(7).take(20);
        batch.append(test::hostileContact(QStringLiteral("hostile-2")));
        const WriteResult first = connector.writeBatch(batch, {});
        const QString logSize = shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts_changelog;"));
        const QString rows = shell(settings.path, QStringLiteral("SELECT group_concat(updated_at) FROM contacts;"));
        const WriteResult second = connector.writeBatch(batch, {});
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts_changelog;")), logSize);
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT group_concat(updated_at) FROM contacts;")), rows);
        QCOMPARE(second.stored.size(), batch.size());
        for (int i = 0; i < batch.size(); ++i) {
            QCOMPARE(second.stored.at(i).timestamp(field::UpdatedAt), first.stored.at(i).timestamp(field::UpdatedAt));
            QCOMPARE(test::differingFields(second.stored.at(i), first.stored.at(i), false), QStringList());
        }
        // sync_meta is not content, but a change to it alone is still written.
        batch[0].setValue(field::SyncMeta, QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("v"), 2}})));
        QCOMPARE(connector.writeBatch({batch.first()}, {}).stored.first().json(field::SyncMeta).toObject().value(QStringLiteral("v")).toInt(), 2);
    }

    void tombstonesAreRowsNotDeletes()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        Contact contact = ContactGenerator(8).next();
        connector.writeBatch({contact}, {});
        const QDateTime deleted = QDateTime(QDate(2025, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);
        contact.setValue(field::DeletedAt, deleted);
        const WriteResult result = connector.writeBatch({contact}, {});
        QCOMPARE(result.stored.first().timestamp(field::DeletedAt), deleted);
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*), deleted_at FROM contacts;")), QStringLiteral("1|2025-05-06T07:08:09.010000Z"));
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts_changelog WHERE op = 'D';")), QStringLiteral("0"));
        QVERIFY(connector.readByIds({contact.id()}).first().isDeleted());
    }

    // Conditional writes: the version the engine read with readByIds is the one the write expects.
    void aWritePlannedFromTheCurrentVersionGoesThrough()
    {
        LocalSettings settings;
        QList<Contact> batch;
        auto connector = seeded(&settings, 40, 2, &batch);
        // The second one was deleted in the shell: readByIds answers its tombstone from the change log.
        QCOMPARE(
            shell(settings.path, QStringLiteral("DELETE FROM contacts WHERE contact_id = '%1';").arg(batch.at(1).id())),
            QString());
        const QList<Contact> read = connector->readByIds({batch.at(0).id(), batch.at(1).id()});
        QCOMPARE(read.size(), 2);
        QVERIFY(read.at(1).isDeleted());
        ExpectedVersions expected;
        for (const Contact &version : read)
            expected.expect(version.id(), version);
        const WriteResult result = connector->writeBatch(
            {withNickname(batch.at(0), QStringLiteral("planned")), withNickname(batch.at(1), QStringLiteral("back"))},
            expected);
        QCOMPARE(result.moved, QStringList());
        QCOMPARE(result.stored.size(), 2);
        QCOMPARE(nicknameIn(settings.path, batch.at(0).id()), QStringLiteral("planned"));
        QCOMPARE(nicknameIn(settings.path, batch.at(1).id()), QStringLiteral("back"));
    }

    void aRowEditedAfterTheReadIsMovedAndKeepsTheEdit()
    {
        LocalSettings settings;
        QList<Contact> batch;
        auto connector = seeded(&settings, 41, 3, &batch);
        ExpectedVersions expected;
        for (const Contact &version : connector->readByIds({batch.at(0).id(), batch.at(1).id(), batch.at(2).id()}))
            expected.expect(version.id(), version);
        QCOMPARE(shell(settings.path,
                       QStringLiteral("UPDATE contacts SET nickname = 'shell edit' WHERE contact_id = '%1';")
                           .arg(batch.at(1).id())),
                 QString());
        QList<Contact> planned;
        for (const Contact &contact : batch)
            planned << withNickname(contact, QStringLiteral("sync write"));
        const WriteResult result = connector->writeBatch(planned, expected);
        QCOMPARE(result.moved, QStringList{batch.at(1).id()});
        QVERIFY(result.rejected.isEmpty());
        QCOMPARE(result.stored.size(), 2);
        QCOMPARE(nicknameIn(settings.path, batch.at(0).id()), QStringLiteral("sync write"));
        QCOMPARE(nicknameIn(settings.path, batch.at(1).id()), QStringLiteral("shell edit"));
        QCOMPARE(nicknameIn(settings.path, batch.at(2).id()), QStringLiteral("sync write"));
    }

    void aContactCreatedMeanwhileIsNotOverwritten()
    {
        LocalSettings settings;
        QList<Contact> batch;
        auto connector = seeded(&settings, 42, 0, &batch);
        const QList<Contact> fresh{withNickname(ContactGenerator(43).next(), QStringLiteral("sync")),
                                   withNickname(ContactGenerator(44).next(), QStringLiteral("sync"))};
        ExpectedVersions expected;
        for (const Contact &contact : fresh)
            expected.expect(contact.id(), std::nullopt); // neither was in the layer when the engine read it
        QCOMPARE(shell(settings.path,
                       QStringLiteral("INSERT INTO contacts (contact_id, nickname) VALUES ('%1', 'typed in');")
                           .arg(fresh.at(0).id())),
                 QString());
        const WriteResult result = connector->writeBatch(fresh, expected);
        QCOMPARE(result.moved, QStringList{fresh.at(0).id()});
        QCOMPARE(result.stored.size(), 1);
        QCOMPARE(shell(settings.path,
                       QStringLiteral("SELECT nickname, given_name IS NULL FROM contacts WHERE contact_id = '%1';")
                           .arg(fresh.at(0).id())),
                 QStringLiteral("typed in|1"));
        QCOMPARE(nicknameIn(settings.path, fresh.at(1).id()), QStringLiteral("sync"));
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts;")), QStringLiteral("2"));
    }

    void aContactExpectedPresentButGoneIsMoved()
    {
        LocalSettings settings;
        QList<Contact> batch;
        auto connector = seeded(&settings, 44, 1, &batch);
        ExpectedVersions expected;
        expected.expect(batch.at(0).id(), connector->readByIds({batch.at(0).id()}).value(0));
        // A contact the engine believes the layer holds, though it never did.
        const Contact never = ContactGenerator(45).next();
        expected.expect(never.id(), never);
        QCOMPARE(
            shell(settings.path, QStringLiteral("DELETE FROM contacts WHERE contact_id = '%1';").arg(batch.at(0).id())),
            QString());
        const WriteResult result
            = connector->writeBatch({withNickname(batch.at(0), QStringLiteral("x")), never}, expected);
        QCOMPARE(result.moved, (QStringList{batch.at(0).id(), never.id()}));
        QVERIFY(result.stored.isEmpty());
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts;")), QStringLiteral("0"));
    }

    void unconstrainedContactsAreWrittenAsBefore()
    {
        LocalSettings settings;
        QList<Contact> batch;
        auto connector = seeded(&settings, 46, 2, &batch);
        ExpectedVersions expected;
        expected.expect(batch.at(0).id(), connector->readByIds({batch.at(0).id()}).value(0));
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'shell edit';")), QString());
        const Contact fresh = ContactGenerator(47).next();
        const WriteResult result = connector->writeBatch({withNickname(batch.at(0), QStringLiteral("sync")),
                                                          withNickname(batch.at(1), QStringLiteral("sync")), fresh},
                                                         expected);
        QCOMPARE(result.moved, QStringList{batch.at(0).id()});
        QCOMPARE(result.stored.size(), 2);
        QCOMPARE(nicknameIn(settings.path, batch.at(0).id()), QStringLiteral("shell edit"));
        QCOMPARE(nicknameIn(settings.path, batch.at(1).id()), QStringLiteral("sync")); // no entry: overwritten
        QCOMPARE(shell(settings.path,
                       QStringLiteral("SELECT count(*) FROM contacts WHERE contact_id = '%1';").arg(fresh.id())),
                 QStringLiteral("1"));
    }

    void aRowTheTableRefusesLosesNothingElse()
    {
        // A person added a CHECK to the table; the sync is asked to store a value that breaks it.
        const LocalSettings settings = freshFile();
        QCOMPARE(shell(settings.path, QStringLiteral("CREATE TABLE contacts (contact_id TEXT PRIMARY KEY NOT NULL, "
                                                     "relationship_strength REAL CHECK (relationship_strength BETWEEN 0 AND 1));")),
                 QString());
        SqliteConnector connector(settings);
        connector.provision();
        QList<Contact> batch = ContactGenerator(16).take(3);
        batch[1].setValue(QStringLiteral("relationship_strength"), 5.0);
        const WriteResult result = connector.writeBatch(batch, {});
        QCOMPARE(result.rejected.keys(), QStringList{batch.at(1).id()});
        const QString why = result.rejected.value(batch.at(1).id());
        QVERIFY2(why.contains(QStringLiteral("CHECK constraint failed")) && why.contains(settings.path), qPrintable(why));
        QCOMPARE(result.stored.size(), 2);
        QCOMPARE(connector.readByIds({batch.at(0).id(), batch.at(1).id(), batch.at(2).id()}).size(), 2);
        QCOMPARE(logEntries(settings.path, QStringLiteral("external")), 0);
    }

    void pagingLosesAndRepeatsNothing()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const QList<Contact> batch = ContactGenerator(9).take(1000);
        connector.writeBatch(batch, {});
        QStringList ids;
        for (const Contact &contact : batch)
            ids << contact.id();
        QCOMPARE(connector.readByIds(ids + QStringList{QStringLiteral("unknown-1"), QStringLiteral("unknown-2")}).size(), 1000);

        // Watermarks move forward only: contact ids during the whole-table read, then log positions.
        QString watermark;
        QString lastId;
        qint64 lastPosition = 0;
        const auto readAll = [&](int limit) {
            QList<Contact> all;
            for (;;) {
                const ChangePage page = connector.readChanges(watermark, limit);
                if (page.contacts.size() > limit)
                    return QList<Contact>();
                all += page.contacts;
                const QStringList parts = page.nextWatermark.split(QLatin1Char(':'));
                if (parts.first() == QLatin1String("full")) {
                    if (parts.at(2) <= lastId)
                        return QList<Contact>();
                    lastId = parts.at(2);
                } else {
                    if (parts.at(1).toLongLong() < lastPosition)
                        return QList<Contact>();
                    lastPosition = parts.at(1).toLongLong();
                }
                watermark = page.nextWatermark;
                if (!page.hasMore)
                    return all;
            }
        };
        const auto distinctIds = [](const QList<Contact> &contacts) {
            QSet<QString> seen;
            for (const Contact &contact : contacts)
                seen.insert(contact.id());
            return seen.size() == contacts.size() ? seen : QSet<QString>();
        };
        const QSet<QString> everyone(ids.cbegin(), ids.cend());
        const QList<Contact> initial = readAll(37);
        QCOMPARE(initial.size(), 1000);
        QCOMPARE(distinctIds(initial), everyone);

        // Outside edits to every row, several per contact, with the sync's own writes in between, page through
        // the log the same way: each contact once, in its latest state.
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'bulk';")), QString());
        connector.writeBatch(ContactGenerator(17).take(50), {});
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET department = 'bulk' WHERE rowid % 2 = 0; "
                                                     "UPDATE contacts SET nickname = 'final';")),
                 QString());
        const QList<Contact> edited = readAll(37);
        QCOMPARE(edited.size(), 1050);
        QCOMPARE(distinctIds(edited).size(), 1050);
        for (const Contact &contact : edited)
            QCOMPARE(contact.text(QStringLiteral("nickname")), QStringLiteral("final"));
        QCOMPARE(readAll(37).size(), 0);
    }

    // The log does not grow for ever: once the sync reads from a watermark past them, applied entries go (in
    // chunks of a thousand), but the tombstone of a row deleted with the shell stays while the row is missing.
    void appliedLogEntriesArePrunedAndTombstonesKept()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        const QList<Contact> batch = ContactGenerator(12).take(3);
        connector.writeBatch(batch, {});
        QString watermark;
        drain(connector, &watermark);
        QCOMPARE(shell(settings.path, QStringLiteral("DELETE FROM contacts WHERE contact_id = '%1';").arg(batch.at(0).id())), QString());
        QString edits;
        for (int i = 0; i < 1200; ++i)
            edits += QStringLiteral("UPDATE contacts SET nickname = 'edit %1' WHERE contact_id = '%2';\n").arg(i).arg(batch.at(1).id());
        QCOMPARE(shell(settings.path, edits), QString());
        const auto logSize = [&] { return shell(settings.path, QStringLiteral("SELECT count(*) FROM contacts_changelog;")).toInt(); };
        QVERIFY(logSize() > 1200);

        const QList<Contact> changes = drain(connector, &watermark); // reads them: nothing is applied yet
        QCOMPARE(changes.size(), 2);
        QVERIFY(logSize() > 1200);
        QCOMPARE(drain(connector, &watermark).size(), 0); // from the stored watermark: the earlier entries are done
        QCOMPARE(logSize(), 2); // the entry at the watermark and the delete's tombstone
        const QList<Contact> deleted = connector.readByIds({batch.at(0).id()});
        QVERIFY(deleted.size() == 1 && deleted.first().isDeleted());
        QCOMPARE(test::differingFields(deleted.first(), batch.at(0)), QStringList{QStringLiteral("deleted_at")});

        shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'after the prune' WHERE contact_id = '%1';").arg(batch.at(2).id()));
        const QList<Contact> later = drain(connector, &watermark);
        QCOMPARE(later.size(), 1);
        QCOMPARE(later.first().text(QStringLiteral("nickname")), QStringLiteral("after the prune"));
    }

    void aWatermarkSurvivesARestart()
    {
        const LocalSettings settings = freshFile();
        QString watermark;
        const QList<Contact> batch = ContactGenerator(10).take(3);
        {
            SqliteConnector connector(settings);
            connector.provision();
            connector.writeBatch(batch, {});
            drain(connector, &watermark);
            shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'seen before the restart' WHERE contact_id = '%1';").arg(batch.at(0).id()));
            QCOMPARE(drain(connector, &watermark).size(), 1);
        }
        shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'while closed' WHERE contact_id = '%1';").arg(batch.at(1).id()));
        SqliteConnector reopened(settings);
        const QList<Contact> changes = drain(reopened, &watermark);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().id(), batch.at(1).id());
        QCOMPARE(changes.first().text(QStringLiteral("nickname")), QStringLiteral("while closed"));
    }

    void aReplacedFileIsReadWholeAgain()
    {
        const LocalSettings settings = freshFile();
        QString watermark;
        {
            SqliteConnector connector(settings);
            connector.provision();
            connector.writeBatch(ContactGenerator(18).take(30), {});
            drain(connector, &watermark);
        }
        // The file is swapped for a different one whose change log is shorter than the watermark.
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(settings.path + suffix);
        SqliteConnector connector(settings);
        connector.provision();
        connector.writeBatch(ContactGenerator(19).take(4), {});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("reading the whole table again")));
        QCOMPARE(drain(connector, &watermark).size(), 4);
    }

    void provisionIsIdempotentAndRepairsAnOlderTable()
    {
        {
            const LocalSettings settings = freshFile();
            SqliteConnector twice(settings);
            twice.provision();
            const QString schema = shell(settings.path, QStringLiteral("SELECT group_concat(sql, ';') FROM sqlite_master;"));
            twice.provision();
            QCOMPARE(shell(settings.path, QStringLiteral("SELECT group_concat(sql, ';') FROM sqlite_master;")), schema);
        }
        // A table from an older version, created by hand: most contract columns missing, no primary key.
        const LocalSettings settings = freshFile();
        QCOMPARE(shell(settings.path, QStringLiteral("CREATE TABLE contacts (contact_id TEXT, given_name TEXT); "
                                                     "INSERT INTO contacts VALUES ('old-1', 'Kept');")),
                 QString());
        SqliteConnector connector(settings);
        QVERIFY(checkMessage(connector, QStringLiteral("schema")).contains(QStringLiteral("local: table contacts lacks column nickname")));
        QVERIFY(checkMessage(connector, QStringLiteral("schema")).contains(QStringLiteral("neither a PRIMARY KEY nor a UNIQUE index")));
        QVERIFY(checkMessage(connector, QStringLiteral("change capture")).contains(QStringLiteral("trigger contacts_log_delete is missing")));
        connector.provision();
        for (const HealthCheck &check : connector.healthChecks())
            QVERIFY2(check.ok, qPrintable(check.message));
        QCOMPARE(connector.readByIds({QStringLiteral("old-1")}).first().text(QStringLiteral("given_name")), QStringLiteral("Kept"));
        Contact update = connector.readByIds({QStringLiteral("old-1")}).first();
        update.setValue(QStringLiteral("nickname"), QStringLiteral("upserted"));
        QVERIFY(connector.writeBatch({update}, {}).rejected.isEmpty());
        QCOMPARE(shell(settings.path, QStringLiteral("SELECT count(*), nickname FROM contacts;")), QStringLiteral("1|upserted"));
    }

    void healthChecksNameWhatIsWrong()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        for (const HealthCheck &check : connector.healthChecks())
            QVERIFY2(check.ok, qPrintable(check.message));
        // The triggers that copy every column must go before a column can be dropped.
        QCOMPARE(shell(settings.path, QStringLiteral("DROP TRIGGER contacts_log_delete; DROP TRIGGER contacts_log_rekey; "
                                                     "ALTER TABLE contacts DROP COLUMN nickname; "
                                                     "ALTER TABLE contacts RENAME COLUMN phonetic_name TO old_name; "
                                                     "ALTER TABLE contacts ADD COLUMN phonetic_name INTEGER;")),
                 QString());
        const QString schema = checkMessage(connector, QStringLiteral("schema"));
        QVERIFY2(schema.contains(QStringLiteral("local: table contacts lacks column nickname")), qPrintable(schema));
        QVERIFY2(schema.contains(QStringLiteral("local: column contacts.phonetic_name is declared INTEGER, the contract says TEXT")),
                 qPrintable(schema));
        const QString capture = checkMessage(connector, QStringLiteral("change capture"));
        QVERIFY2(capture.contains(QStringLiteral("trigger contacts_log_delete is missing")), qPrintable(capture));
        QCOMPARE(checkMessage(connector, QStringLiteral("integrity")), QStringLiteral("ok"));
        // Provision restores what it can; a column's declared type is for a person to change.
        connector.provision();
        QCOMPARE(checkMessage(connector, QStringLiteral("change capture")), QStringLiteral("ok"));
        QCOMPARE(checkMessage(connector, QStringLiteral("schema")),
                 QStringLiteral("local: column contacts.phonetic_name is declared INTEGER, the contract says TEXT"));
    }

    void aCorruptFileIsNamed()
    {
        const LocalSettings settings = freshFile();
        QFile file(settings.path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("garbage, not a database\n").repeated(500));
        file.close();
        SqliteConnector connector(settings);
        for (const auto &call : std::initializer_list<std::function<void()>>{[&] { connector.readChanges(QString(), 10); },
                                                                               [&] { connector.provision(); },
                                                                               [&] { connector.writeBatch(ContactGenerator(20).take(1), {}); }}) {
            ConnectorError::Kind kind = ConnectorError::Kind::Internal;
            const QString message = failureOf(call, &kind);
            QVERIFY2(message.startsWith(QStringLiteral("local: ") + settings.path), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("not a SQLite database or is corrupt")), qPrintable(message));
            QCOMPARE(kind, ConnectorError::Kind::Configuration);
        }
        const QString reachable = checkMessage(connector, QStringLiteral("reachable"));
        QVERIFY2(reachable.contains(settings.path) && reachable.contains(QStringLiteral("corrupt")), qPrintable(reachable));
    }

    void anUnusablePathIsNamed()
    {
        // The "directory" of the file is a regular file.
        const QString blocker = m_dir.filePath(QStringLiteral("not-a-directory"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const LocalSettings settings{blocker + QStringLiteral("/contacts.sqlite")};
        SqliteConnector connector(settings);
        ConnectorError::Kind kind = ConnectorError::Kind::Internal;
        const QString message = failureOf([&] { connector.provision(); }, &kind);
        QVERIFY2(message.contains(blocker), qPrintable(message));
        QCOMPARE(kind, ConnectorError::Kind::Configuration);
        QVERIFY(failureOf([] { SqliteConnector(LocalSettings{}); }).contains(QStringLiteral("[local] path is empty")));
    }

    void aReadOnlyDirectoryIsNamed()
    {
        QTemporaryDir dir;
        const LocalSettings settings{dir.filePath(QStringLiteral("contacts.sqlite"))};
        SqliteConnector(settings).provision();
        QFile::remove(settings.path + QStringLiteral("-wal"));
        QFile::remove(settings.path + QStringLiteral("-shm"));
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        const bool privileged = QFileInfo(dir.path()).isWritable();
        QString message;
        if (!privileged) {
            SqliteConnector connector(settings);
            message = failureOf([&] { connector.readChanges(QString(), 10); });
        }
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        if (privileged)
            QSKIP("this user writes into read-only directories (root)");
        QVERIFY2(message.contains(QStringLiteral("the directory %1 is read-only").arg(dir.path())), qPrintable(message));
    }

    // SQLite keeps whatever bytes a program stored; the connector reads them as they are: U+0000, a byte-order mark,
    // NaN and infinities exactly, and text that is not UTF-8 marked unreadable with where it breaks, never mended.
    void valuesAreReadExactlyOrMarkedUnreadable()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        QString watermark;
        drain(connector, &watermark);
        QCOMPARE(shell(settings.path,
                       QStringLiteral("INSERT INTO contacts (contact_id, given_name, family_name, nickname, notes, "
                                      "relationship_strength, created_at) VALUES ('raw', 'Ann' || char(0) || 'e', "
                                      "char(65279) || 'Zoë', CAST(X'4361666520E282' AS TEXT), "
                                      "CAST(X'4e6f7465733a20ff0a' AS TEXT), 'NaN', 'yesterday');")),
                 QString());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("field nickname is not valid UTF-8")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("field notes is not valid UTF-8")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("field created_at is not an ISO-8601")));
        const QList<Contact> read = drain(connector, &watermark);
        QCOMPARE(read.size(), 1);
        const Contact contact = read.first();
        QCOMPARE(contact.text(QStringLiteral("given_name")), QStringLiteral("Ann") + QChar(0) + QStringLiteral("e"));
        QCOMPARE(contact.text(QStringLiteral("family_name")), QChar(0xFEFF) + QStringLiteral("Zoë"));
        QVERIFY(std::isnan(contact.value(QStringLiteral("relationship_strength")).toDouble()));
        const QMap<int, QString> unreadable = contact.unreadable();
        QCOMPARE(
            unreadable.keys(),
            (QList<int>{FieldRegistry::indexOf(QStringLiteral("nickname")),
                        FieldRegistry::indexOf(QStringLiteral("notes")), FieldRegistry::indexOf(field::CreatedAt)}));
        QVERIFY2(unreadable.value(FieldRegistry::indexOf(QStringLiteral("notes")))
                     .startsWith(QStringLiteral("is not valid UTF-8 at byte 7 (0xff)")),
                 qPrintable(unreadable.value(FieldRegistry::indexOf(QStringLiteral("notes")))));
        QVERIFY(unreadable.value(FieldRegistry::indexOf(QStringLiteral("nickname")))
                    .startsWith(QStringLiteral("is not valid UTF-8 at byte 5 (0xe2)")));
        QCOMPARE(unreadable.value(FieldRegistry::indexOf(field::CreatedAt)),
                 QStringLiteral("is not an ISO-8601 timestamp: 'yesterday'"));
        // readByIds answers the same, and an infinity in the REAL column comes back as one.
        QCOMPARE(shell(settings.path,
                       QStringLiteral("UPDATE contacts SET relationship_strength = -9e999, created_at = NULL;")),
                 QString());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("field nickname is not valid UTF-8")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("field notes is not valid UTF-8")));
        const Contact again = connector.readByIds({QStringLiteral("raw")}).value(0);
        QCOMPARE(again.value(QStringLiteral("relationship_strength")).toDouble(),
                 -std::numeric_limits<double>::infinity());
        QCOMPARE(again.unreadable().size(), 2);
    }

    void malformedTextFromTheShellIsKept()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        QString watermark;
        drain(connector, &watermark);
        QCOMPARE(shell(settings.path, QStringLiteral("INSERT INTO contacts (contact_id, llm_summary, ai_insights, tags, created_at, relationship_strength) "
                                                     "VALUES ('broken', '{not json', '\"a json string\"', 'plain tag', 'yesterday', 'strong');")),
                 QString());
        for (const QString &expected : {QStringLiteral("contact broken field llm_summary is not JSON"),
                                        QStringLiteral("contact broken field tags is not a JSON array"),
                                        QStringLiteral("contact broken field created_at is not an ISO-8601 timestamp"),
                                        QStringLiteral("contact broken field relationship_strength is not a number")})
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(expected)));
        const QList<Contact> changes = drain(connector, &watermark);
        QCOMPARE(changes.size(), 1);
        const Contact read = changes.first();
        QCOMPARE(read.json(QStringLiteral("llm_summary")), QJsonValue(QStringLiteral("{not json")));
        QCOMPARE(read.json(QStringLiteral("ai_insights")), QJsonValue(QStringLiteral("a json string")));
        QCOMPARE(read.list(QStringLiteral("tags")), QStringList{QStringLiteral("plain tag")});
        QVERIFY(!read.timestamp(field::CreatedAt).isValid());
        QVERIFY(read.timestamp(field::UpdatedAt).isValid());

        // A BLOB typed into a column does not keep a person from deleting the row, and the tombstone keeps it.
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET notes = CAST('blob notes' AS BLOB), created_at = NULL, "
                                                     "relationship_strength = NULL, tags = '[]', llm_summary = '1'; DELETE FROM contacts;")),
                 QString());
        const QList<Contact> deleted = drain(connector, &watermark);
        QCOMPARE(deleted.size(), 1);
        QVERIFY(deleted.first().isDeleted());
        QCOMPARE(deleted.first().text(QStringLiteral("notes")), QStringLiteral("blob notes"));
    }

    void outsideWritesWakeTheSyncAndItsOwnDoNot()
    {
        const LocalSettings settings = freshFile();
        SqliteConnector connector(settings);
        connector.provision();
        connector.writeBatch(ContactGenerator(21).take(3), {});
        QString watermark;
        drain(connector, &watermark);
        QSignalSpy spy(&connector, &Connector::changesAvailable);
        connector.writeBatch(ContactGenerator(22).take(3), {});
        QVERIFY(!spy.wait(1500));
        QCOMPARE(shell(settings.path, QStringLiteral("UPDATE contacts SET nickname = 'wake up';")), QString());
        QVERIFY(spy.wait(15000));
        QCOMPARE(drain(connector, &watermark).size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestSqliteConnector)
#include "tst_sqliteconnector.moc"
