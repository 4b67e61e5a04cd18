#include "core/consistencyverifier.h"
#include "core/contactgenerator.h"
#include "core/syncengine.h"
#include "support/memorystand.h"

#include <QSignalSpy>
#include <QtTest>

using namespace tf;
using test::MemoryConnector;

// SyncEngine::applyChoices, the diff viewer's "Apply": a person picks the right layer per field of one contact.
class TestApplyChoices : public QObject
{
    Q_OBJECT

    struct Stand : test::MemoryStand {
        QString id;

        explicit Stand(ConflictPolicy policy = ConflictPolicy::Merge)
            : MemoryStand(settingsFor(policy))
        {
            ContactGenerator generator(7);
            for (int i = 0; i < 5; ++i) {
                const Contact contact = generator.next();
                layers[Layer::BigQuery]->externalWrite(contact);
                if (id.isEmpty())
                    id = contact.id();
            }
            engine->runCycle();
            engine->runCycle(); // the echoes of the first fan-out
        }

        void edit(Layer layer, const QString &fieldName, const QString &value)
        {
            Contact contact = layers[layer]->stored(id);
            contact.setValue(fieldName, value);
            layers[layer]->externalWrite(contact);
        }
        QString value(Layer layer, const QString &fieldName) const { return layers[layer]->stored(id).text(fieldName); }

        static SyncSettings settingsFor(ConflictPolicy policy)
        {
            SyncSettings settings;
            settings.conflictPolicy = policy;
            return settings;
        }
    };

private slots:
    void theChosenValueWinsEvenWhereTheMergeWouldNot()
    {
        Stand stand;
        const QString original = stand.value(Layer::Crm, QStringLiteral("job_title"));
        // Only the local layer changed the field: a cycle would spread "Typo". The person says the CRM is right.
        stand.edit(Layer::Local, QStringLiteral("job_title"), QStringLiteral("Typo"));
        QSignalSpy writes(stand.engine.get(), &SyncEngine::writeApplied);
        const CycleReport report = stand.engine->applyChoices(stand.id, {{QStringLiteral("job_title"), Layer::Crm}});
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        for (Layer layer : allLayers())
            QCOMPARE(stand.value(layer, QStringLiteral("job_title")), original);
        QCOMPARE(report.written.value(Layer::Local), 1);
        QCOMPARE(report.totalWritten(), 1); // the others already hold the chosen value
        QCOMPARE(writes.size(), 1);
        QCOMPARE(report.plan.size(), 1);
        QCOMPARE(report.plan.first().fields, QStringList{QStringLiteral("job_title")});
        QCOMPARE(stand.state->base(stand.id)->text(QStringLiteral("job_title")), original);

        bool journaled = false;
        for (const JournalEntry &entry : stand.state->history(stand.id)) {
            journaled = journaled
                || (entry.operation == QLatin1String("choice") && entry.layer == Layer::Crm
                    && entry.payload.value(QStringLiteral("field")).toString() == QLatin1String("job_title")
                    && entry.status == JournalEntry::Status::Applied);
        }
        QVERIFY(journaled);

        const int calls = stand.totalWriteCalls();
        stand.engine->runCycle(); // the local write's echo
        const CycleReport quiet = stand.engine->runCycle();
        QCOMPARE(quiet.totalWritten(), 0);
        QCOMPARE(stand.totalWriteCalls(), calls);
    }

    void unchosenFieldsStillMerge()
    {
        Stand stand;
        stand.edit(Layer::Local, QStringLiteral("notes"), QStringLiteral("met at the fair"));
        stand.edit(Layer::Supabase, QStringLiteral("job_title"), QStringLiteral("Chief Tinkerer"));
        const CycleReport report = stand.engine->applyChoices(stand.id, {{QStringLiteral("job_title"), Layer::Supabase}});
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        for (Layer layer : allLayers()) {
            QCOMPARE(stand.value(layer, QStringLiteral("notes")), QStringLiteral("met at the fair"));
            QCOMPARE(stand.value(layer, QStringLiteral("job_title")), QStringLiteral("Chief Tinkerer"));
        }
        QVERIFY(ConsistencyVerifier(stand.engine->connectors()).verify({stand.id}).consistent());
    }

    void aChoiceAnswersTheOpenConflict()
    {
        Stand stand(ConflictPolicy::Manual);
        stand.edit(Layer::Crm, QStringLiteral("organization"), QStringLiteral("Acme CRM"));
        stand.edit(Layer::Local, QStringLiteral("organization"), QStringLiteral("Acme Local"));
        const CycleReport held = stand.engine->runCycle();
        QCOMPARE(held.held, 1);
        QCOMPARE(stand.state->conflicts().size(), 1);

        const CycleReport report = stand.engine->applyChoices(stand.id, {{QStringLiteral("organization"), Layer::Local}});
        QVERIFY2(report.clean(), qPrintable(report.errors.join('\n')));
        QCOMPARE(report.held, 0);
        QVERIFY(stand.state->conflicts().isEmpty());
        QVERIFY(stand.state->resolvedUnappliedConflicts().isEmpty());
        for (Layer layer : allLayers())
            QCOMPARE(stand.value(layer, QStringLiteral("organization")), QStringLiteral("Acme Local"));
    }

    void refusesWhatAPersonCannotChoose_data()
    {
        QTest::addColumn<QString>("fieldName");
        QTest::addColumn<int>("layer");
        QTest::newRow("unknown field") << QStringLiteral("shoe_size") << int(Layer::Crm);
        QTest::newRow("not content") << QStringLiteral("updated_at") << int(Layer::Crm);
        QTest::newRow("the id itself") << QStringLiteral("contact_id") << int(Layer::Crm);
    }
    void refusesWhatAPersonCannotChoose()
    {
        QFETCH(QString, fieldName);
        QFETCH(int, layer);
        Stand stand;
        stand.edit(Layer::Local, QStringLiteral("notes"), QStringLiteral("pending"));
        const int calls = stand.totalWriteCalls();
        QSignalSpy started(stand.engine.get(), &SyncEngine::cycleStarted);
        const CycleReport report = stand.engine->applyChoices(stand.id, {{fieldName, Layer(layer)}});
        QVERIFY(!report.clean());
        QVERIFY2(report.errors.first().contains(fieldName), qPrintable(report.errors.first()));
        QCOMPARE(started.size(), 0);
        QCOMPARE(stand.totalWriteCalls(), calls);
    }

    void aLayerThatLostTheContactCannotBeChosen()
    {
        Stand stand;
        SyncSettings settings;
        // An engine over a CRM that never held the contact: its value is gone by the time the person applies.
        qint64 clock = 1;
        MemoryConnector emptyCrm(Layer::Crm, &clock);
        QMap<Layer, Connector *> connectors{{Layer::Crm, &emptyCrm}, {Layer::Local, stand.layers[Layer::Local]}};
        SyncEngine engine(stand.state.get(), connectors, settings);
        const CycleReport report = engine.applyChoices(stand.id, {{QStringLiteral("notes"), Layer::Crm}});
        QVERIFY(!report.clean());
        QVERIFY2(report.errors.join('\n').contains(QLatin1String("crm no longer holds")), qPrintable(report.errors.join('\n')));
        QCOMPARE(emptyCrm.writeCalls, 0);

        const CycleReport unknown = engine.applyChoices(QStringLiteral("no-such-contact"), {{QStringLiteral("notes"), Layer::Local}});
        QVERIFY(unknown.errors.join('\n').contains(QLatin1String("in no layer")));
    }
};

QTEST_GUILESS_MAIN(TestApplyChoices)
#include "tst_applychoices.moc"
