#include "core/consistencyverifier.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/syncengine.h"
#include "support/memorystand.h"
#include "support/testcontacts.h"

#include <QSignalSpy>
#include <QtTest>
#include <limits>

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
        // The layers report the sync's own writes back (as BigQuery and Twenty do); the next cycle reads them.
        // Ten per layer: BigQuery's come from the crm_id write-back after the CRM minted its ids.
        stand.cycle();
        const int calls = stand.totalWriteCalls();
        const CycleReport second = stand.cycle();
        QCOMPARE(second.echoesSuppressed, 40);
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
        stand[Layer::Crm].stampsDeletions = true;
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
        // An edit of another contact in the same cycle: nothing at all is written before confirmation.
        stand.edit(Layer::Crm, all.at(10).id(), "nickname", QStringLiteral("waits too"));
        QSignalSpy asked(stand.engine.get(), &SyncEngine::massDeleteBlocked);
        const int writesBefore = stand.totalWriteCalls();
        const CycleReport blocked = stand.cycle();
        QVERIFY(blocked.massDeleteBlocked);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().at(0).toInt(), 6); // the exact count, asked once for the whole cycle
        QCOMPARE(blocked.plannedDeletes, 6);
        QCOMPARE(stand.totalWriteCalls(), writesBefore);
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

    // A new contact whose primary email a known contact has, and whose every set field agrees: the same person
    // entered twice, merged without asking.
    void aNewContactAgreeingWithAKnownOneIsMergedSilently()
    {
        Stand stand;
        seedCanonical(stand, 3);
        stand.cycle();
        Contact inBigQuery = ContactGenerator(99).next();
        inBigQuery.setValue(field::Emails, QStringList{QStringLiteral("Twice@Example.com")});
        stand[Layer::BigQuery].externalWrite(inBigQuery);
        stand.cycle();
        Contact inLocal;
        inLocal.setId(ContactGenerator(98).next().id());
        inLocal.setValue(field::Emails, QStringList{QStringLiteral("twice@example.com")});
        // One address of the two the contact has: it agrees, and the other address stays.
        stand.edit(Layer::BigQuery, inBigQuery.id(), "emails",
                   QStringList{QStringLiteral("Twice@Example.com"), QStringLiteral("second@example.com")});
        stand.cycle();
        inLocal.setValue(QStringLiteral("given_name"), inBigQuery.text(QStringLiteral("given_name")));
        stand[Layer::Local].externalWrite(inLocal);
        const CycleReport report = stand.cycle();
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        QCOMPARE(report.held, 0);
        int live = 0;
        for (const Contact &c : stand[Layer::Local].all())
            live += (!c.isDeleted() && c.list(field::Emails).value(0) == QLatin1String("twice@example.com")) ? 1 : 0;
        QCOMPARE(live, 1);
        QCOMPARE(stand[Layer::Crm].all().size(), 4); // no duplicate anywhere else
        QVERIFY(stand.state->conflicts().isEmpty());
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(inBigQuery.id()).list(field::Emails).size(), 2);
    }

    // Issue 8, scenario 6: two people can share an address (a family, info@company). A new contact with a known
    // primary email but other values overwrites nobody: it waits for a person, who merges it or keeps both.
    void aPossibleDuplicateWaitsForAPerson_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::newRow("merge") << QString::fromLatin1(ConflictRecord::kMerge);
        QTest::newRow("keep-both") << QString::fromLatin1(ConflictRecord::kKeepBoth);
    }

    void aPossibleDuplicateWaitsForAPerson()
    {
        QFETCH(QString, answer);
        Stand stand;
        seedCanonical(stand, 3);
        Contact existing = ContactGenerator(99).next();
        existing.setValue(field::Emails, QStringList{QStringLiteral("info@family.example")});
        stand[Layer::BigQuery].externalWrite(existing);
        stand.cycle();
        Contact other = ContactGenerator(98).next();
        other.setValue(field::Emails, QStringList{QStringLiteral("INFO@family.example")});
        stand[Layer::Local].externalWrite(other);

        const CycleReport held = stand.cycle();
        QCOMPARE(held.held, 1);
        for (Layer layer : allLayers()) {
            QCOMPARE(stand[layer].stored(existing.id()).text(QStringLiteral("given_name")),
                     existing.text(QStringLiteral("given_name")));
        }
        QVERIFY(!stand[Layer::BigQuery].holds(other.id()));
        QVERIFY(!stand[Layer::Local].stored(other.id()).isDeleted());
        const QList<ConflictRecord> open = stand.state->conflicts();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().kind, ConflictRecord::Kind::PossibleDuplicate);
        QCOMPARE(open.first().contactId, other.id());
        QCOMPARE(open.first().values.value(QLatin1String(ConflictRecord::kMerge)).toString(), existing.id());
        stand.cycle(); // asked once, not again
        QCOMPARE(stand.state->conflicts().size(), 1);

        stand.state->resolveConflict(open.first().id, answer);
        const CycleReport applied = stand.cycle();
        QVERIFY2(applied.clean(), qPrintable(applied.errors.join('\n')));
        QVERIFY(stand.state->resolvedUnappliedConflicts().isEmpty());
        if (answer == QLatin1String(ConflictRecord::kMerge)) {
            QVERIFY(stand[Layer::Local].stored(other.id()).isDeleted());
            QVERIFY(!stand[Layer::BigQuery].holds(other.id()));
            QCOMPARE(stand[Layer::BigQuery].stored(existing.id()).text(QStringLiteral("given_name")),
                     other.text(QStringLiteral("given_name")));
        } else {
            for (Layer layer : allLayers()) {
                QVERIFY(!stand[layer].stored(other.id()).isDeleted());
                QCOMPARE(stand[layer].stored(existing.id()).text(QStringLiteral("given_name")),
                         existing.text(QStringLiteral("given_name")));
            }
        }
        const int calls = stand.totalWriteCalls();
        const CycleReport quiet = stand.cycle();
        QVERIFY2(stand.totalWriteCalls() == calls, QJsonDocument(quiet.toJson()).toJson().constData());
    }

    // Issue 8, scenario 1: a write that reached BigQuery and Postgres but not Twenty is not read back as a BigQuery
    // edit when Postgres changes the field again.
    void aHalfAppliedWriteIsNotTakenForAnEdit()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 20);
        stand.cycle();
        stand.edit(Layer::Supabase, id, "nickname", QStringLiteral("first"));
        stand[Layer::Crm].failWriteCallsFrom = stand[Layer::Crm].writeCalls + 1;
        QVERIFY(!stand.cycle().clean());
        QCOMPARE(stand[Layer::BigQuery].stored(id).text(QStringLiteral("nickname")), QStringLiteral("first"));
        QVERIFY(stand[Layer::Crm].stored(id).text(QStringLiteral("nickname")) != QLatin1String("first"));
        stand[Layer::Crm].failWriteCallsFrom = -1;
        stand.edit(Layer::Supabase, id, "nickname", QStringLiteral("second"));
        int conflicts = 0;
        for (int i = 0; i < 2; ++i) {
            const CycleReport report = stand.cycle();
            QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
            conflicts += report.conflicts;
        }
        QCOMPARE(conflicts, 0);
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("nickname")), QStringLiteral("second"));
    }

    // A write that landed but whose outcome was never recorded (the answer lost, the process killed) is the sync's
    // own: it is not read back as an edit that beats a newer one.
    void aWriteWhoseAnswerWasLostIsNotTakenForAnEdit()
    {
        Stand stand;
        const QString id = seedCanonical(stand, 5);
        stand.cycle();
        stand.edit(Layer::Supabase, id, "nickname", QStringLiteral("first"));
        stand[Layer::BigQuery].loseAnswerOfCall = stand[Layer::BigQuery].writeCalls + 1;
        QVERIFY(!stand.cycle().clean());
        QCOMPARE(stand[Layer::BigQuery].stored(id).text(QStringLiteral("nickname")), QStringLiteral("first"));
        stand.edit(Layer::Supabase, id, "nickname", QStringLiteral("second"));
        const CycleReport report = stand.cycle();
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        QCOMPARE(report.conflicts, 0);
        for (Layer layer : allLayers())
            QCOMPARE(stand[layer].stored(id).text(QStringLiteral("nickname")), QStringLiteral("second"));
    }

    // Issue 8, scenario 2: people edit the layers while a cycle writes them. Every write is conditional on the
    // version it was planned from, so an edit made after the read is re-read and merged, never overwritten.
    void editsMadeDuringACycleAreNeverReverted()
    {
        Stand stand;
        seedCanonical(stand, 30);
        stand.cycle();
        const QList<Contact> contacts = stand[Layer::BigQuery].all();
        for (const Contact &contact : contacts)
            stand.edit(Layer::BigQuery, contact.id(), "nickname", QStringLiteral("bq-") + contact.id().right(4));
        const auto editEverything = [&](Layer layer, const char *fieldName) {
            return [&stand, layer, fieldName, &contacts](int call) {
                if (call % 2 == 0)
                    return; // every other batch: some writes were planned before the edit, some after
                for (const Contact &contact : contacts)
                    stand.edit(layer, contact.id(), fieldName, layerName(layer) + QString::number(call));
            };
        };
        stand[Layer::Crm].beforeWrite = editEverything(Layer::Crm, "department");
        stand[Layer::Local].beforeWrite = editEverything(Layer::Local, "job_title");
        const CycleReport busy = stand.cycle();
        QVERIFY2(busy.clean(), qPrintable(busy.errors.join('\n')));
        QVERIFY(busy.moved.value(Layer::Crm) > 0);
        QVERIFY(busy.moved.value(Layer::Local) > 0);
        stand[Layer::Crm].beforeWrite = nullptr;
        stand[Layer::Local].beforeWrite = nullptr;
        // What each layer held last is what every layer must hold in the end.
        QHash<QString, QString> department, jobTitle;
        for (const Contact &contact : contacts) {
            department.insert(contact.id(), stand[Layer::Crm].stored(contact.id()).text(QStringLiteral("department")));
            jobTitle.insert(contact.id(), stand[Layer::Local].stored(contact.id()).text(QStringLiteral("job_title")));
        }
        stand.cycle();
        stand.cycle();
        for (const Contact &contact : contacts) {
            for (Layer layer : allLayers()) {
                const Contact held = stand[layer].stored(contact.id());
                QCOMPARE(held.text(QStringLiteral("nickname")), QStringLiteral("bq-") + contact.id().right(4));
                QCOMPARE(held.text(QStringLiteral("department")), department.value(contact.id()));
                QCOMPARE(held.text(QStringLiteral("job_title")), jobTitle.value(contact.id()));
            }
        }
        QVERIFY(stand.state->conflicts().isEmpty());
    }

    // Issue 8, scenario 4: without the state database nothing says which value is the edit. Differing values are
    // held for a person (merge, manual) or decided by modification time (last-writer-wins); BigQuery never wins
    // silently.
    void aLostStateNeverLetsTheCanonicalLayerWinSilently_data()
    {
        QTest::addColumn<int>("policyValue");
        QTest::newRow("merge") << int(ConflictPolicy::Merge);
        QTest::newRow("last-writer-wins") << int(ConflictPolicy::LastWriterWins);
    }

    void aLostStateNeverLetsTheCanonicalLayerWinSilently()
    {
        QFETCH(int, policyValue);
        const auto policy = ConflictPolicy(policyValue);
        Stand stand(policy);
        seedCanonical(stand, 10);
        stand.cycle();
        const QString inTwenty = stand[Layer::BigQuery].all().at(2).id();
        const QString inLocal = stand[Layer::BigQuery].all().at(5).id();
        stand.edit(Layer::Crm, inTwenty, "nickname", QStringLiteral("typed in twenty"));
        stand.edit(Layer::Local, inLocal, "job_title", QStringLiteral("typed locally"));
        // The state database is moved aside (README troubleshooting): a fresh one, the same layers.
        stand.state = std::make_unique<StateDatabase>(stand.dir.filePath(QStringLiteral("rebuilt.sqlite")));
        stand.state->open();
        stand.engine
            = std::make_unique<SyncEngine>(stand.state.get(), stand.connectors, Stand::settingsFor(policy, 0.10));
        const CycleReport report = stand.cycle();
        QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join('\n')));
        if (policy == ConflictPolicy::Merge) {
            QCOMPARE(report.held, 2);
            QStringList held;
            for (const ConflictRecord &record : stand.state->conflicts())
                held << record.contactId + QLatin1Char('/') + record.field;
            held.sort();
            QStringList expected{inTwenty + QStringLiteral("/nickname"), inLocal + QStringLiteral("/job_title")};
            expected.sort();
            QCOMPARE(held, expected);
            QCOMPARE(stand[Layer::Crm].stored(inTwenty).text(QStringLiteral("nickname")),
                     QStringLiteral("typed in twenty"));
            QCOMPARE(stand[Layer::Local].stored(inLocal).text(QStringLiteral("job_title")),
                     QStringLiteral("typed locally"));
        } else {
            // Each edit is its layer's newest write.
            for (Layer layer : allLayers()) {
                QCOMPARE(stand[layer].stored(inTwenty).text(QStringLiteral("nickname")),
                         QStringLiteral("typed in twenty"));
                QCOMPARE(stand[layer].stored(inLocal).text(QStringLiteral("job_title")),
                         QStringLiteral("typed locally"));
            }
        }
        // The other contacts agreed everywhere: their base is rebuilt without a write.
        QCOMPARE(stand.state->baseCount(), policy == ConflictPolicy::Merge ? 8 : 10);
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

    // A value not every layer can store (ValueValidator) is refused whole where it was read: a dead letter naming the
    // field and why, nothing written to any layer, the rest of the cycle carried; verify shows it. Once fixed in that
    // layer it travels like any edit, and the letter goes.
    void uncarriableValuesAreRefusedUntilFixed_data()
    {
        QTest::addColumn<Layer>("layer");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QVariant>("bad");
        QTest::addColumn<QVariant>("fixed");
        QTest::addColumn<QString>("reason");
        QTest::newRow("NaN in local") << Layer::Local << "relationship_strength"
                                      << QVariant(std::numeric_limits<double>::quiet_NaN()) << QVariant(0.25)
                                      << "local: relationship_strength is NaN, which JSON and Twenty cannot carry";
        QTest::newRow("infinity in bigquery") << Layer::BigQuery << "relationship_strength"
                                              << QVariant(std::numeric_limits<double>::infinity()) << QVariant(1.0)
                                              << "bigquery: relationship_strength is Infinity, which JSON and Twenty "
                                                 "cannot carry";
        QTest::newRow("NUL in supabase") << Layer::Supabase << "given_name"
                                         << QVariant(QStringLiteral("Ann") + QChar(0) + QStringLiteral("e"))
                                         << QVariant(QStringLiteral("Anne"))
                                         << "supabase: given_name contains a NUL byte, which PostgreSQL text cannot "
                                            "store";
    }
    void uncarriableValuesAreRefusedUntilFixed()
    {
        QFETCH(Layer, layer);
        QFETCH(QString, field);
        QFETCH(QVariant, bad);
        QFETCH(QVariant, fixed);
        QFETCH(QString, reason);
        Stand stand;
        seedCanonical(stand, 10);
        QVERIFY(stand.cycle().clean());
        const QStringList ids = [&] {
            QStringList all;
            for (const Contact &contact : stand[Layer::BigQuery].all())
                all << contact.id();
            return all;
        }();
        const QString id = ids.at(2);
        const QString other = ids.at(5);
        QMap<Layer, Contact> before;
        for (Layer each : allLayers())
            before.insert(each, stand[each].stored(id));

        stand.edit(layer, id, qPrintable(field), bad);
        stand.edit(Layer::Crm, other, "job_title", QStringLiteral("carried meanwhile"));
        const CycleReport refused = stand.cycle();
        QVERIFY2(refused.clean(), qPrintable(refused.errors.join('\n')));
        QVERIFY2(refused.rejected.value(layer) == 1, qPrintable(refused.refusedValues.join('\n')));
        QCOMPARE(refused.refusedValues, QStringList{QStringLiteral("contact %1: %2").arg(id, reason)});
        for (Layer each : allLayers()) {
            if (each != layer)
                QCOMPARE(ContentHash::of(stand[each].stored(id)), ContentHash::of(before.value(each)));
            QCOMPARE(stand[each].stored(other).text(QStringLiteral("job_title")), QStringLiteral("carried meanwhile"));
        }
        QCOMPARE(stand.state->deadLetters().size(), 1);
        const DeadLetter letter = stand.state->deadLetters().first();
        QCOMPARE(letter.contactId, id);
        QCOMPARE(letter.layer, layer);
        QCOMPARE(letter.field, field);
        QCOMPARE(letter.error, reason);
        const VerifyReport verify = stand.verify();
        QVERIFY(!verify.consistent());
        const QJsonArray contacts = verify.toJson().value(QStringLiteral("contacts")).toArray();
        QCOMPARE(contacts.size(), 1);
        QCOMPARE(contacts.first()[QStringLiteral("contact_id")].toString(), id);
        QCOMPARE(contacts.first()[QStringLiteral("refused")][0][QStringLiteral("message")].toString(), reason);

        // Another layer's edit of the contact does not carry the value either: the contact stays held.
        stand.edit(Layer::Crm, id, "department", QStringLiteral("elsewhere"));
        QCOMPARE(stand.cycle().rejected.value(layer), 1);
        const Layer untouched = layer == Layer::Supabase ? Layer::Local : Layer::Supabase;
        QCOMPARE(ContentHash::of(stand[untouched].stored(id)), ContentHash::of(before.value(untouched)));

        stand.edit(layer, id, qPrintable(field), fixed);
        const CycleReport carried = stand.cycle();
        QVERIFY2(carried.clean() && carried.refusedValues.isEmpty(), qPrintable(carried.refusedValues.join('\n')));
        const FieldSpec &spec = FieldRegistry::field(field);
        for (Layer each : allLayers()) {
            QVERIFY2(ContactNormalizer::valuesEqual(spec, stand[each].stored(id).value(field), fixed),
                     qPrintable(layerName(each)));
            QCOMPARE(stand[each].stored(id).text(QStringLiteral("department")), QStringLiteral("elsewhere"));
        }
        QVERIFY(stand.state->deadLetters().isEmpty());
        QVERIFY2(stand.verify().consistent(), qPrintable(verifyText(stand.verify())));
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
