#include "core/contactgenerator.h"
#include "core/contenthash.h"
#include "core/statedatabase.h"
#include "support/testcontacts.h"

#include <QFile>
#include <QSqlQuery>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

class TestStateDatabase : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void createsAndMigratesFreshFile()
    {
        StateDatabase db(path("fresh.sqlite"));
        db.open();
        QCOMPARE(db.schemaVersion(), StateDatabase::kSchemaVersion);
        QCOMPARE(db.integrityCheck(), QStringLiteral("ok"));
        // Re-opening an up-to-date file is a no-op.
        StateDatabase again(path("fresh.sqlite"));
        again.open();
        QCOMPARE(again.schemaVersion(), StateDatabase::kSchemaVersion);
    }

    void baseSnapshotsAndHashesPersist()
    {
        const Contact contact = test::hostileContact(QStringLiteral("c-1"));
        {
            StateDatabase db(path("base.sqlite"));
            db.open();
            QVERIFY(!db.base(QStringLiteral("c-1")).has_value());
            db.setBase(contact);
            Contact older = contact;
            older.setValue(QStringLiteral("nickname"), QStringLiteral("older"));
            db.setLayerState(QStringLiteral("c-1"), Layer::Crm, older, false);
            db.setLayerState(QStringLiteral("c-1"), Layer::Crm, contact, true);
            db.setLayerState(QStringLiteral("c-1"), Layer::Supabase, older, false);
            db.setWatermark(Layer::Supabase, QStringLiteral("42"));
        }
        StateDatabase db(path("base.sqlite"));
        db.open();
        const std::optional<Contact> base = db.base(QStringLiteral("c-1"));
        QVERIFY(base.has_value());
        QCOMPARE(test::differingFields(*base, contact), QStringList());
        QCOMPARE(db.layerHash(QStringLiteral("c-1"), Layer::Crm), ContentHash::of(contact));
        QCOMPARE(db.layerHash(QStringLiteral("c-1"), Layer::Local), QString());
        QVERIFY(!db.layerRecord(QStringLiteral("c-1"), Layer::Local).has_value());
        QVERIFY(!db.layerRecord(QStringLiteral("c-1"), Layer::Crm)->snapshot.has_value()); // holds the base
        QCOMPARE(db.layerRecord(QStringLiteral("c-1"), Layer::Supabase)->snapshot->text(QStringLiteral("nickname")),
                 QStringLiteral("older"));
        QCOMPARE(db.watermark(Layer::Supabase), QStringLiteral("42"));
        QCOMPARE(db.watermark(Layer::Local), QString());
        QCOMPARE(db.baseCount(), 1);
    }

    void aLayerLeftBehindKeepsTheBaseItHeld()
    {
        // Per-layer commit: the base moves on when one layer holds the new version; a layer recorded with the old
        // base keeps that as its own last known state, so its changes are measured against what it really holds.
        StateDatabase db(path("behind.sqlite"));
        db.open();
        Contact first = test::hostileContact(QStringLiteral("c-2"));
        first.setValue(QStringLiteral("nickname"), QStringLiteral("first"));
        Contact second = first;
        second.setValue(QStringLiteral("nickname"), QStringLiteral("second"));
        db.setBase(first);
        db.setLayerState(QStringLiteral("c-2"), Layer::BigQuery, first, true);
        db.setLayerState(QStringLiteral("c-2"), Layer::Crm, first, true);
        db.setBase(second);
        db.setLayerState(QStringLiteral("c-2"), Layer::BigQuery, second, true);
        QVERIFY(!db.layerRecord(QStringLiteral("c-2"), Layer::BigQuery)->snapshot.has_value());
        const std::optional<LayerRecord> behind = db.layerRecord(QStringLiteral("c-2"), Layer::Crm);
        QVERIFY(behind && behind->snapshot);
        QCOMPARE(behind->snapshot->text(QStringLiteral("nickname")), QStringLiteral("first"));
        QCOMPARE(behind->hash, ContentHash::of(first));
        // Setting the same base again copies nothing.
        db.setBase(second);
        QVERIFY(!db.layerRecord(QStringLiteral("c-2"), Layer::BigQuery)->snapshot.has_value());
    }

    void possibleDuplicatesWaitForAnAnswer()
    {
        StateDatabase db(path("duplicates.sqlite"));
        db.open();
        QVERIFY(!db.possibleDuplicate(QStringLiteral("new")).has_value());
        const qint64 id = db.addPossibleDuplicate(QStringLiteral("new"), QStringLiteral("old"),
                                                  QJsonObject{{QStringLiteral("email"), QStringLiteral("info@x.org")}});
        std::optional<ConflictRecord> record = db.possibleDuplicate(QStringLiteral("new"));
        QVERIFY(record && record->open);
        QCOMPARE(record->kind, ConflictRecord::Kind::PossibleDuplicate);
        QCOMPARE(record->values.value(QLatin1String(ConflictRecord::kMerge)).toString(), QStringLiteral("old"));
        QCOMPARE(db.conflicts().size(), 1);
        db.resolveConflict(id, QLatin1String(ConflictRecord::kKeepBoth));
        record = db.possibleDuplicate(QStringLiteral("new"));
        QVERIFY(!record->open);
        QCOMPARE(record->resolution, QLatin1String(ConflictRecord::kKeepBoth));
        QCOMPARE(db.resolvedUnappliedConflicts().size(), 1);
        db.markConflictsApplied(QStringLiteral("new"));
        QVERIFY(db.resolvedUnappliedConflicts().isEmpty());
    }

    void journalTracksPlannedAndFinishedWrites()
    {
        StateDatabase db(path("journal.sqlite"));
        db.open();
        const qint64 a = db.journalPlanned(QStringLiteral("cy1"), QStringLiteral("c-1"), Layer::BigQuery,
                                           QStringLiteral("upsert"), QJsonObject{{QStringLiteral("k"), 1}});
        const qint64 b = db.journalPlanned(QStringLiteral("cy1"), QStringLiteral("c-2"), Layer::Crm,
                                           QStringLiteral("tombstone"), {});
        QCOMPARE(db.unfinishedJournal().size(), 2);
        db.journalFinished(a, JournalEntry::Status::Applied);
        const QList<JournalEntry> open = db.unfinishedJournal();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().id, b);
        QCOMPARE(open.first().layer, Layer::Crm);
        db.journalFinished(b, JournalEntry::Status::Failed, QStringLiteral("crm: 400 Invalid string value"));
        QVERIFY(db.unfinishedJournal().isEmpty());
        const QList<JournalEntry> history = db.history(QStringLiteral("c-2"));
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.first().status, JournalEntry::Status::Failed);
        QCOMPARE(history.first().detail, QStringLiteral("crm: 400 Invalid string value"));
        QCOMPARE(db.history().size(), 2);
        QCOMPARE(db.history().first().payload.value(QStringLiteral("k")).toInt(), 0); // newest first: b has no k
    }

    void rollbackLeavesNothingBehind()
    {
        StateDatabase db(path("tx.sqlite"));
        db.open();
        db.begin();
        db.setWatermark(Layer::Local, QStringLiteral("9"));
        db.rollback();
        QCOMPARE(db.watermark(Layer::Local), QString());
    }

    void conflictsAndDeadLetters()
    {
        StateDatabase db(path("conflicts.sqlite"));
        db.open();
        const qint64 id = db.addConflict(QStringLiteral("c-1"), QStringLiteral("job_title"),
                                         QJsonObject{{QStringLiteral("bigquery"), QStringLiteral("A")},
                                                     {QStringLiteral("crm"), QStringLiteral("B")}},
                                         QJsonObject{{QStringLiteral("value"), QStringLiteral("base")}});
        QCOMPARE(db.conflicts().size(), 1);
        QCOMPARE(db.conflict(id)->values.value(QStringLiteral("crm")).toString(), QStringLiteral("B"));
        db.resolveConflict(id, QStringLiteral("crm"));
        QVERIFY(db.conflicts().isEmpty());
        QCOMPARE(db.conflicts(false).first().resolution, QStringLiteral("crm"));

        db.addDeadLetter(QStringLiteral("c-9"), Layer::Crm, QStringLiteral("first"));
        db.addDeadLetter(QStringLiteral("c-9"), Layer::Crm, QStringLiteral("second"));
        QCOMPARE(db.deadLetters().size(), 1);
        QCOMPARE(db.deadLetters().first().attempts, 2);
        QCOMPARE(db.deadLetters().first().error, QStringLiteral("second"));
        db.clearDeadLetter(QStringLiteral("c-9"), Layer::Crm);
        QVERIFY(db.deadLetters().isEmpty());
    }

    void corruptFileGivesAClearErrorAndIsNotOverwritten()
    {
        const QString file = path("corrupt.sqlite");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray garbage = QByteArray("this is not a database\n").repeated(200);
        f.write(garbage);
        f.close();
        StateDatabase db(file);
        try {
            db.open();
            QFAIL("open() accepted a corrupt file");
        } catch (const StateError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(file), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("not a readable SQLite database")), qPrintable(message));
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), garbage);
    }

    void newerSchemaIsRefused()
    {
        const QString file = path("future.sqlite");
        {
            StateDatabase db(file);
            db.open();
        }
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            raw.setDatabaseName(file);
            QVERIFY(raw.open());
            QSqlQuery(raw).exec(QStringLiteral("PRAGMA user_version=99"));
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        StateDatabase db(file);
        QVERIFY_THROWS_EXCEPTION(StateError, db.open());
    }
};

QTEST_GUILESS_MAIN(TestStateDatabase)
#include "tst_statedatabase.moc"
