#include "core/consistencyverifier.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/syncengine.h"
#include "support/memorystand.h"
#include "support/testcontacts.h"

#include <QSignalSpy>
#include <QtTest>

using namespace tf;
using test::MemoryConnector;

// The engine's decisions, on in-memory layers that echo their writes back like the remote ones do.
// The same scenarios against the real layers live in tests/integration.
class TestSyncEngine : public QObject
{
    Q_OBJECT

    struct Stand : test::MemoryStand {
        explicit Stand(ConflictPolicy policy = ConflictPolicy::Merge, double maxDeleteShare = 0.10)
            : MemoryStand(settingsFor(policy, maxDeleteShare))
        {
        }

        static SyncSettings settingsFor(ConflictPolicy policy, double maxDeleteShare)
        {
            SyncSettings settings;
            settings.conflictPolicy = policy;
            settings.batchSize = 7; // small pages: paging paths run in every test
            settings.maxDeleteShare = maxDeleteShare;
            return settings;
        }

        CycleReport cycle(CycleOptions options = {})
        {
            return engine->runCycle(options);
        }

        void edit(Layer layer, const QString &id, const char *fieldName, const QVariant &value)
        {
            Contact contact = (*this)[layer].stored(id);
            contact.setValue(QString::fromLatin1(fieldName), value);
            (*this)[layer].externalWrite(contact);
        }
    };

    static QString seedCanonical(Stand &stand, int count)
    {
        ContactGenerator generator(11);
        QString first;
        for (int i = 0; i < count; ++i) {
            const Contact contact = generator.next();
            stand[Layer::BigQuery].externalWrite(contact);
            if (first.isEmpty())
                first = contact.id();
        }
        return first;
    }

    static QString verifyText(const VerifyReport &report)
    {
        return QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact)).left(2000);
    }

private slots:
    void initialSyncReachesEveryLayer()
    {
        Stand stand;
        seedCanonical(stand, 30);
        const CycleReport report = stand.cycle();
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        for (Layer layer : {Layer::Crm, Layer::Supabase, Layer::Local})
            QCOMPARE(stand[layer].all().size(), 30);
        const VerifyReport verify = stand.verify();
        QVERIFY2(verify.consistent(), qPrintable(verifyText(verify)));
        QVERIFY(stand.state->unfinishedJournal().isEmpty());
    }

    void aQuietCycleWritesNothing()
    {
        Stand stand;
        seedCanonical(stand, 20);
        stand.cycle();
        stand.cycle(); // the echoes of the first cycle's writes come back once and are recognised
        const int calls = stand.totalWriteCalls();
        const CycleReport report = stand.cycle();
        QCOMPARE(stand.totalWriteCalls(), calls);
        QCOMPARE(report.totalWritten(), 0);
        QVERIFY(report.plan.isEmpty());
    }

    void echoesAreSuppressedNotRewritten()
    {
        Stand stand;
        seedCanonical(stand, 10);
        // The layers report the sync's own writes back (as BigQuery and Twenty do) within the same cycle.
        // Ten per layer: BigQuery's come from the crm_id write-back after the CRM minted its ids.
        const CycleReport first = stand.cycle();
        QCOMPARE(first.echoesSuppressed, 40);
        const int calls = stand.totalWriteCalls();
        stand.cycle();
        QCOMPARE(stand.totalWriteCalls(), calls);
    }

    void aChangeInEachLayerReachesTheOthers_data()
    {
        QTest::addColumn<int>("layerIndex");
        for (Layer layer : allLayers())
            QTest::newRow(qPrintable(layerName(layer))) << int(layer);
    }
    void aChangeInEachLayerReachesTheOthers()
    {
        QFETCH(int, layerIndex);
        const Layer origin = Layer(layerIndex);
        Stand stand;
        const QString id = seedCanonical(stand, 10);
        stand.cycle();
        stand.edit(origin, id, "job_title", QStringLiteral("Edited in %1").arg(layerName(origin)));
        const CycleReport report = stand.cycle();
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("job_title")), QStringLiteral("Edited in %1").arg(layerName(origin)));
        QCOMPARE(report.totalWritten(), 3);
    }

    void concurrentEditsToDifferentFieldsMerge()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 5);
        stand.cycle();
        stand.edit(Layer::Crm, id, "job_title", QStringLiteral("CRM title"));
        stand.edit(Layer::Local, id, "nickname", QStringLiteral("local nick"));
        stand.cycle();
        for (Layer layer : allLayers()) {
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("job_title")), QStringLiteral("CRM title"));
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("nickname")), QStringLiteral("local nick"));
        }
        QVERIFY(stand.verify().consistent());
    }

    void sameFieldFollowsThePolicy_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<QString>("expected");
        QTest::newRow("merge: canonical wins") << int(ConflictPolicy::Merge) << "from bigquery";
        QTest::newRow("last-writer-wins") << int(ConflictPolicy::LastWriterWins) << "from local";
    }
    void sameFieldFollowsThePolicy()
    {
        QFETCH(int, policy);
        QFETCH(QString, expected);
        Stand stand{ConflictPolicy(policy)};
        const QString id = seedCanonical(stand, 5);
        stand.cycle();
        stand.edit(Layer::BigQuery, id, "job_title", QStringLiteral("from bigquery"));
        stand.edit(Layer::Local, id, "job_title", QStringLiteral("from local")); // later on the shared clock
        const CycleReport report = stand.cycle();
        QCOMPARE(report.conflicts, 1);
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("job_title")), expected);
        // Every decision is in the journal.
        bool journaled = false;
        for (const JournalEntry &entry : stand.state->history(id))
            journaled = journaled || entry.operation == QLatin1String("conflict");
        QVERIFY(journaled);
    }

    void manualPolicyQueuesForAPerson()
    {
        Stand stand{ConflictPolicy::Manual};
        const QString id = seedCanonical(stand, 5);
        stand.cycle();
        stand.edit(Layer::Crm, id, "job_title", QStringLiteral("A"));
        stand.edit(Layer::Supabase, id, "job_title", QStringLiteral("B"));
        const QString other = stand[Layer::Local].all().last().id();
        stand.edit(Layer::Local, other, "nickname", QStringLiteral("goes through"));
        const CycleReport report = stand.cycle();
        QCOMPARE(report.held, 1);
        QCOMPARE(stand[Layer::BigQuery].stored(id).text(QStringLiteral("job_title")), stand.state->base(id)->text(QStringLiteral("job_title")));
        QCOMPARE(stand[Layer::BigQuery].stored(other).text(QStringLiteral("nickname")), QStringLiteral("goes through"));
        const QList<ConflictRecord> open = stand.state->conflicts();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().values.value(QStringLiteral("crm")).toString(), QStringLiteral("A"));

        stand.cycle(); // still held: no duplicate conflict, nothing written for it
        QCOMPARE(stand.state->conflicts().size(), 1);

        stand.state->resolveConflict(open.first().id, QStringLiteral("supabase"));
        const CycleReport applied = stand.cycle();
        QVERIFY2(applied.clean(), qPrintable(applied.errors.join('\n')));
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("job_title")), QStringLiteral("B"));
        QVERIFY(stand.state->resolvedUnappliedConflicts().isEmpty());
        QVERIFY(stand.verify().consistent());
    }

    void deleteTombstonesEverywhere()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 20);
        stand.cycle();
        stand.edit(Layer::Supabase, id, "deleted_at", QDateTime::currentDateTimeUtc());
        stand.cycle();
        for (Layer layer : allLayers()) {
            QVERIFY(stand[layer].holds(id)); // never physically removed
            QVERIFY(stand[layer].stored(id).isDeleted());
        }
    }

    // Twenty stamps deletedAt itself when a record goes to the trash: for crm, verify compares only whether the
    // tombstone is set; between the other layers the time must be the same.
    void verifyComparesOnlyWhetherTwentyHoldsATombstone()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 20);
        stand.cycle();
        stand.edit(Layer::Local, id, "deleted_at", QDateTime::currentDateTimeUtc().addSecs(-60));
        stand.cycle();
        QVERIFY(stand.verify().consistent());

        Contact trashedByTwenty = stand[Layer::Crm].stored(id);
        trashedByTwenty.setValue(field::DeletedAt, QDateTime::currentDateTimeUtc());
        stand[Layer::Crm].externalWrite(trashedByTwenty);
        QVERIFY(stand.verify().consistent());

        Contact restoredInTwenty = trashedByTwenty;
        restoredInTwenty.setValue(field::DeletedAt, QVariant());
        stand[Layer::Crm].externalWrite(restoredInTwenty);
        QVERIFY(!stand.verify().consistent());
        stand[Layer::Crm].externalWrite(trashedByTwenty);

        Contact otherTime = stand[Layer::Supabase].stored(id);
        otherTime.setValue(field::DeletedAt, QDateTime::currentDateTimeUtc().addSecs(5));
        stand[Layer::Supabase].externalWrite(otherTime);
        const VerifyReport report = stand.verify();
        QCOMPARE(report.contacts.size(), 1);
        QCOMPARE(report.contacts.first().differences.first().field, field::DeletedAt);
    }

    // A contact destroyed in one layer leaves nothing to read; the next full rescan finds it gone and tombstones it
    // everywhere (including a fresh tombstone in the layer that lost it), and a quiet cycle after that writes nothing.
    void aContactDestroyedWithoutATraceIsTombstonedEverywhere()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 20);
        stand.cycle(); // every layer was asked, nothing had vanished yet
        stand[Layer::Crm].destroy(id);
        stand.cycle(); // asked less than six hours ago: not asked again
        QVERIFY(!stand[Layer::BigQuery].stored(id).isDeleted());

        CycleOptions rescan;
        rescan.fullRescan = true;
        QVERIFY(stand.cycle(rescan).errors.isEmpty());
        for (Layer layer : allLayers())
            QVERIFY2(stand[layer].holds(id) && stand[layer].stored(id).isDeleted(), qPrintable(layerName(layer)));
        QCOMPARE(stand.state->liveContactsHeldBy(Layer::Crm).size(), 19);
        QVERIFY(stand.verify().consistent());
        const int writesBefore = stand.totalWriteCalls();
        stand.cycle(rescan);
        QCOMPARE(stand.totalWriteCalls(), writesBefore);
    }

    void massDeleteGuardStopsAndConfirmationProceeds()
    {
        Stand stand;
        seedCanonical(stand, 20);
        stand.cycle();
        const QList<Contact> all = stand[Layer::Local].all();
        for (int i = 0; i < 6; ++i)
            stand.edit(Layer::Local, all.at(i).id(), "deleted_at", QDateTime::currentDateTimeUtc());
        QSignalSpy asked(stand.engine.get(), &SyncEngine::massDeleteBlocked);
        const CycleReport blocked = stand.cycle();
        QVERIFY(blocked.massDeleteBlocked);
        QCOMPARE(asked.size(), 1);
        QVERIFY(!stand[Layer::BigQuery].stored(all.at(0).id()).isDeleted());
        CycleOptions confirmed;
        confirmed.allowMassDelete = true;
        const CycleReport report = stand.cycle(confirmed);
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        for (int i = 0; i < 6; ++i)
            QVERIFY(stand[Layer::BigQuery].stored(all.at(i).id()).isDeleted());
    }

    void anOutageMidCycleResumesWithoutLossOrDuplicates()
    {
        Stand stand;
        seedCanonical(stand, 25);
        stand[Layer::Local].failWriteCallsFrom = 2; // the local layer dies after its first batch
        const CycleReport failed = stand.cycle();
        QVERIFY(!failed.clean());
        QVERIFY(stand[Layer::Local].all().size() < 25);
        stand[Layer::Local].failWriteCallsFrom = -1;
        const CycleReport resumed = stand.cycle();
        QVERIFY2(resumed.clean(), qPrintable(resumed.errors.join('\n')));
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].all().size(), 25);
        QVERIFY(stand.verify().consistent());
        QVERIFY(stand.state->unfinishedJournal().isEmpty());
    }

    void serverNormalisationCausesNoSecondWrite()
    {
        Stand stand;
        // The CRM stores nicknames trimmed of a trailing space (stands for Twenty's rewrites, spec §4.3).
        stand[Layer::Crm].serverNormalisation = [](Contact c) {
            c.setValue(QStringLiteral("nickname"), c.text(QStringLiteral("nickname")).trimmed());
            return c;
        };
        const QString id = seedCanonical(stand, 3);
        stand.cycle();
        stand.edit(Layer::BigQuery, id, "nickname", QStringLiteral("spacey "));
        stand.cycle();
        stand.cycle();
        const int calls = stand[Layer::Crm].writeCalls;
        const int bigqueryCalls = stand[Layer::BigQuery].writeCalls;
        stand.cycle();
        stand.cycle();
        QCOMPARE(stand[Layer::Crm].writeCalls, calls);
        QCOMPARE(stand[Layer::BigQuery].writeCalls, bigqueryCalls);
    }

    void crmIdIsWrittenBackToEveryLayer()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 3);
        stand.cycle();
        const QString crmId = stand[Layer::Crm].stored(id).text(field::CrmId);
        QVERIFY(!crmId.isEmpty());
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(field::CrmId), crmId);
    }

    void aContactCreatedInTwoLayersIsMatchedByEmail()
    {
        Stand stand;
        seedCanonical(stand, 3);
        stand.cycle();
        Contact inBigQuery = ContactGenerator(99).next();
        inBigQuery.setValue(field::Emails, QStringList{QStringLiteral("Twice@Example.com")});
        stand[Layer::BigQuery].externalWrite(inBigQuery);
        stand.cycle();
        Contact inLocal = ContactGenerator(98).next();
        inLocal.setValue(field::Emails, QStringList{QStringLiteral("twice@example.com")});
        inLocal.setValue(QStringLiteral("department"), QStringLiteral("Typed locally"));
        stand[Layer::Local].externalWrite(inLocal);
        stand.cycle();
        int live = 0;
        for (const Contact &c : stand[Layer::Local].all())
            live += (!c.isDeleted() && c.list(field::Emails).value(0) == QLatin1String("twice@example.com")) ? 1 : 0;
        QCOMPARE(live, 1);
        QCOMPARE(stand[Layer::Crm].all().size(), 4); // no duplicate anywhere else
        QCOMPARE(stand[Layer::BigQuery].stored(inBigQuery.id()).text(QStringLiteral("department")), QStringLiteral("Typed locally"));
    }

    void poisonRecordsGoToDeadLettersAndDoNotBlockTheRest()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 10);
        stand[Layer::Crm].poison.insert(id);
        const CycleReport report = stand.cycle();
        QCOMPARE(report.rejected.value(Layer::Crm), 1);
        QCOMPARE(stand[Layer::Crm].all().size(), 9);
        QCOMPARE(stand[Layer::Local].all().size(), 10);
        QCOMPARE(stand.state->deadLetters().size(), 1);
        QCOMPARE(stand.state->deadLetters().first().contactId, id);
        stand[Layer::Crm].poison.clear();
        stand.edit(Layer::BigQuery, id, "job_title", QStringLiteral("fixed"));
        stand.cycle();
        QCOMPARE(stand[Layer::Crm].all().size(), 10);
        QVERIFY(stand.state->deadLetters().isEmpty());
    }

    void dryRunPlansButWritesNothing()
    {
        Stand stand;
        seedCanonical(stand, 8);
        CycleOptions options;
        options.dryRun = true;
        const CycleReport report = stand.cycle(options);
        QCOMPARE(report.plan.size(), 8 * 3);
        QCOMPARE(stand.totalWriteCalls(), 0);
        QCOMPARE(stand.state->baseCount(), 0);
        QCOMPARE(stand.state->watermark(Layer::BigQuery), QString());
    }

    void pushMakesTheSourceWin()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 4);
        stand.cycle();
        stand.edit(Layer::BigQuery, id, "job_title", QStringLiteral("canonical edit"));
        stand.edit(Layer::Local, id, "job_title", QStringLiteral("pushed from local"));
        CycleOptions push;
        push.pushSource = Layer::Local;
        push.contactIds = {id};
        const CycleReport report = stand.cycle(push);
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("job_title")), QStringLiteral("pushed from local"));
    }
};

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
