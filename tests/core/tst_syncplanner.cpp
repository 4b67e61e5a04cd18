#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/syncplanner.h"

#include <QtTest>

using namespace tf;

// The planner alone: versions in, a plan with the versions each write was planned from out. No layer, no database.
class TestSyncPlanner : public QObject
{
    Q_OBJECT

    Contact m_base;

    static PlannerSettings settings()
    {
        PlannerSettings settings;
        settings.layers = allLayers();
        settings.mintedBy.insert(field::CrmId, Layer::Crm);
        settings.cycleId = QStringLiteral("cycle-1");
        return settings;
    }

    static Contact with(Contact contact, const char *fieldName, const QVariant &value)
    {
        contact.setValue(QString::fromLatin1(fieldName), value);
        return contact;
    }

    // Every layer holds the base and is recorded as holding it.
    ContactState inSync() const
    {
        ContactState state;
        state.contactId = m_base.id();
        state.base = m_base;
        for (Layer layer : allLayers()) {
            state.versions.insert(layer, m_base);
            state.recorded.insert(layer, LayerRecord{ContentHash::of(m_base), std::nullopt});
        }
        return state;
    }

    static const LayerWrite *writeTo(const ContactPlan &plan, Layer layer)
    {
        for (const LayerWrite &write : plan.writes) {
            if (write.layer == layer)
                return &write;
        }
        return nullptr;
    }

private slots:
    void init() { m_base = ContactNormalizer::normalized(ContactGenerator(7).next()); }

    void layersThatAgreeNeedNoWrite()
    {
        const ContactPlan plan = SyncPlanner(settings()).plan(inSync());
        QVERIFY(plan.writes.isEmpty());
        QVERIFY(plan.echo);
        QCOMPARE(plan.inSync.size(), 4);
    }

    void anEditIsWrittenToTheOthersEachFromTheVersionItRead()
    {
        ContactState state = inSync();
        const Contact edited = with(m_base, "nickname", QStringLiteral("edited"));
        state.versions[Layer::Supabase] = edited;
        const ContactPlan plan = SyncPlanner(settings()).plan(state);
        QCOMPARE(plan.merge.merged.text(QStringLiteral("nickname")), QStringLiteral("edited"));
        QCOMPARE(plan.writes.size(), 3);
        QVERIFY(!writeTo(plan, Layer::Supabase));
        QCOMPARE(plan.inSync, QList<Layer>{Layer::Supabase});
        const LayerWrite *local = writeTo(plan, Layer::Local);
        QVERIFY(local && local->expected);
        QCOMPARE(ContentHash::of(*local->expected), ContentHash::of(m_base));
        QCOMPARE(local->operation, QStringLiteral("update"));
        QCOMPARE(local->fields, QStringList{QStringLiteral("nickname")});
        QVERIFY(!plan.echo);
    }

    void aLayerWithoutTheContactGetsACreateExpectingNothing()
    {
        ContactState state = inSync();
        state.versions.remove(Layer::Local);
        state.recorded.remove(Layer::Local);
        const ContactPlan plan = SyncPlanner(settings()).plan(state);
        const LayerWrite *local = writeTo(plan, Layer::Local);
        QVERIFY(local);
        QCOMPARE(local->operation, QStringLiteral("create"));
        QVERIFY(!local->expected.has_value());
    }

    void aLayerThatLostARecordedContactIsNotRecreated()
    {
        // Recorded as holding it, but the layer no longer has it (Twenty's destroy): a delete for the vanished
        // check to find, never a silent re-create.
        ContactState state = inSync();
        state.versions.remove(Layer::Crm);
        QVERIFY(!writeTo(SyncPlanner(settings()).plan(state), Layer::Crm));
    }

    void aDeleteTombstonesTheLiveLayers()
    {
        ContactState state = inSync();
        state.versions[Layer::Local] = with(m_base, "deleted_at", QDateTime(QDate(2026, 6, 1), QTime(9, 0), Qt::UTC));
        const ContactPlan plan = SyncPlanner(settings()).plan(state);
        QVERIFY(plan.tombstones());
        QCOMPARE(writeTo(plan, Layer::BigQuery)->operation, QStringLiteral("tombstone"));
    }

    void contentALayerRefusedIsNotSentAgain()
    {
        ContactState state = inSync();
        state.versions[Layer::Supabase] = with(m_base, "nickname", QStringLiteral("poison"));
        ContactPlan plan = SyncPlanner(settings()).plan(state);
        state.deadLetterHashes.insert(Layer::Crm, plan.targetHash);
        plan = SyncPlanner(settings()).plan(state);
        QVERIFY(!writeTo(plan, Layer::Crm));
        QVERIFY(writeTo(plan, Layer::Local));
    }

    void aPushTakesTheSourceButKeepsTheMintedId()
    {
        ContactState state = inSync();
        state.versions[Layer::Crm] = with(m_base, "crm_id", QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        state.versions[Layer::Local] = with(m_base, "job_title", QStringLiteral("pushed"));
        state.versions[Layer::BigQuery] = with(m_base, "job_title", QStringLiteral("canonical"));
        PlannerSettings push = settings();
        push.pushSource = Layer::Local;
        const ContactPlan plan = SyncPlanner(push).plan(state);
        QCOMPARE(plan.merge.merged.text(QStringLiteral("job_title")), QStringLiteral("pushed"));
        QCOMPARE(plan.merge.merged.text(field::CrmId), QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        QVERIFY(plan.merge.conflicts.isEmpty());
    }

    void theTargetCarriesItsOriginAndHash()
    {
        ContactState state = inSync();
        state.versions[Layer::Crm] = with(m_base, "department", QStringLiteral("from crm"));
        const ContactPlan plan = SyncPlanner(settings()).plan(state);
        const QJsonObject meta = plan.merge.merged.value(field::SyncMeta).value<QJsonValue>().toObject();
        QCOMPARE(meta.value(QStringLiteral("origin")).toString(), QStringLiteral("crm"));
        QCOMPARE(meta.value(QStringLiteral("hash")).toString(), plan.targetHash);
        QCOMPARE(meta.value(QStringLiteral("cycle")).toString(), QStringLiteral("cycle-1"));
    }

    void anIntentIgnoresTheIdsALayerMints()
    {
        const Contact minted = with(m_base, "crm_id", QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        const QMap<QString, Layer> mintedBy = settings().mintedBy;
        QCOMPARE(SyncPlanner::intentHash(minted, mintedBy), SyncPlanner::intentHash(m_base, mintedBy));
        QVERIFY(SyncPlanner::intentHash(with(m_base, "nickname", QStringLiteral("x")), mintedBy)
                != SyncPlanner::intentHash(m_base, mintedBy));
    }
};

QTEST_GUILESS_MAIN(TestSyncPlanner)
#include "tst_syncplanner.moc"
