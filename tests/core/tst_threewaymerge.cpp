#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/threewaymerge.h"

#include <QtTest>

using namespace tf;

class TestThreeWayMerge : public QObject
{
    Q_OBJECT

    Contact m_base;

    static QString title(const Contact &c) { return c.text(QStringLiteral("job_title")); }
    static Contact with(Contact c, const char *fieldName, const QVariant &value)
    {
        c.setValue(QString::fromLatin1(fieldName), value);
        return c;
    }
    static Contact modifiedAt(Contact c, int secondsAfterEpoch2026)
    {
        c.setValue(field::UpdatedAt, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(secondsAfterEpoch2026));
        return c;
    }

    MergeInput input(ConflictPolicy policy = ConflictPolicy::Merge) const
    {
        MergeInput in;
        in.base = m_base;
        in.policy = policy;
        for (Layer layer : allLayers())
            in.versions.insert(layer, m_base);
        return in;
    }

private slots:
    void init() { m_base = ContactNormalizer::normalized(ContactGenerator(3).next()); }

    void noChangeKeepsTheBase()
    {
        const MergeResult result = ThreeWayMerge::merge(input());
        QVERIFY(result.conflicts.isEmpty());
        QVERIFY(!result.held);
        QCOMPARE(title(result.merged), title(m_base));
    }

    void differentFieldsInDifferentLayersMerge()
    {
        MergeInput in = input();
        in.versions[Layer::Crm] = with(m_base, "job_title", QStringLiteral("CTO"));
        in.versions[Layer::Local] = with(m_base, "nickname", QStringLiteral("Addie"));
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(title(result.merged), QStringLiteral("CTO"));
        QCOMPARE(result.merged.text(QStringLiteral("nickname")), QStringLiteral("Addie"));
        QCOMPARE(result.fieldSources.value(QStringLiteral("job_title")), Layer::Crm);
        QCOMPARE(result.fieldSources.value(QStringLiteral("nickname")), Layer::Local);
    }

    void sameValueInTwoLayersIsNoConflict()
    {
        MergeInput in = input();
        in.versions[Layer::Crm] = with(m_base, "job_title", QStringLiteral("CTO"));
        in.versions[Layer::Supabase] = with(m_base, "job_title", QStringLiteral("CTO"));
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(title(result.merged), QStringLiteral("CTO"));
    }

    void mergePolicyLetsTheCanonicalLayerWin()
    {
        MergeInput in = input(ConflictPolicy::Merge);
        in.versions[Layer::BigQuery] = modifiedAt(with(m_base, "job_title", QStringLiteral("From BQ")), 1);
        in.versions[Layer::Crm] = modifiedAt(with(m_base, "job_title", QStringLiteral("From CRM")), 100);
        const MergeResult result = ThreeWayMerge::merge(in);
        QCOMPARE(result.conflicts.size(), 1);
        QCOMPARE(result.conflicts.first().winner, Layer::BigQuery);
        QCOMPARE(result.conflicts.first().rule, QStringLiteral("canonical"));
        QCOMPARE(title(result.merged), QStringLiteral("From BQ"));
    }

    void lastWriterWinsByModificationTime()
    {
        MergeInput in = input(ConflictPolicy::LastWriterWins);
        in.versions[Layer::BigQuery] = modifiedAt(with(m_base, "job_title", QStringLiteral("From BQ")), 1);
        in.versions[Layer::Local] = modifiedAt(with(m_base, "job_title", QStringLiteral("From local")), 100);
        const MergeResult result = ThreeWayMerge::merge(in);
        QCOMPARE(result.conflicts.first().winner, Layer::Local);
        QCOMPARE(result.conflicts.first().rule, QStringLiteral("latest write"));
        QCOMPARE(title(result.merged), QStringLiteral("From local"));
    }

    void equalTimesFallBackToLayerOrder()
    {
        MergeInput in = input(ConflictPolicy::LastWriterWins);
        in.versions[Layer::Supabase] = modifiedAt(with(m_base, "job_title", QStringLiteral("S")), 5);
        in.versions[Layer::Local] = modifiedAt(with(m_base, "job_title", QStringLiteral("L")), 5);
        const MergeResult result = ThreeWayMerge::merge(in);
        QCOMPARE(result.conflicts.first().winner, Layer::Supabase);
        QCOMPARE(result.conflicts.first().rule, QStringLiteral("layer order"));
    }

    void manualHoldsTheContactAndKeepsBothValues()
    {
        MergeInput in = input(ConflictPolicy::Manual);
        in.versions[Layer::Crm] = with(m_base, "job_title", QStringLiteral("A"));
        in.versions[Layer::Local]
            = with(with(m_base, "job_title", QStringLiteral("B")), "nickname", QStringLiteral("n"));
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.held);
        QCOMPARE(result.conflicts.size(), 1);
        QVERIFY(!result.conflicts.first().winner.has_value());
        QCOMPARE(result.conflicts.first().values.value(Layer::Crm).toString(), QStringLiteral("A"));
        QCOMPARE(result.conflicts.first().values.value(Layer::Local).toString(), QStringLiteral("B"));
        QCOMPARE(result.conflicts.first().base.toString(), title(m_base));
    }

    void aResolutionDecidesTheField()
    {
        MergeInput in = input(ConflictPolicy::Manual);
        in.versions[Layer::Crm] = with(m_base, "job_title", QStringLiteral("A"));
        in.versions[Layer::Local] = with(m_base, "job_title", QStringLiteral("B"));
        in.resolutions.insert(QStringLiteral("job_title"), Layer::Local);
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(!result.held);
        QCOMPARE(title(result.merged), QStringLiteral("B"));
    }

    void unchangedLayersDoNotVoteEvenWhenTheyDiffer()
    {
        // Twenty stored a value differently from the base, but that is what the sync left there: not a change.
        MergeInput in = input();
        in.versions[Layer::Crm] = with(m_base, "notes", QStringLiteral("rewritten by the server"));
        in.versions[Layer::Local] = with(m_base, "job_title", QStringLiteral("Local edit"));
        in.references.insert(Layer::Crm, in.versions[Layer::Crm]);
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(result.merged.text(QStringLiteral("notes")), m_base.text(QStringLiteral("notes")));
        QCOMPARE(title(result.merged), QStringLiteral("Local edit"));
    }

    void aDeleteMergesWithAnEditElsewhere()
    {
        MergeInput in = input();
        const QDateTime deleted = QDateTime(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);
        in.versions[Layer::Supabase] = with(m_base, "deleted_at", deleted);
        in.versions[Layer::Crm] = with(m_base, "job_title", QStringLiteral("Edited"));
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.merged.isDeleted());
        QCOMPARE(title(result.merged), QStringLiteral("Edited"));
    }

    void newContactWithoutBaseTakesEveryLayersFields()
    {
        MergeInput in;
        in.policy = ConflictPolicy::Merge;
        Contact canonical = m_base;
        canonical.setValue(QStringLiteral("nickname"), QVariant());
        Contact crm = m_base;
        crm.setValue(QStringLiteral("nickname"), QStringLiteral("from crm"));
        crm.setValue(QStringLiteral("job_title"), QStringLiteral("crm title"));
        crm.setValue(field::CrmId, QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        in.versions = {{Layer::BigQuery, canonical}, {Layer::Crm, crm}};
        in.mintedBy.insert(field::CrmId, Layer::Crm);
        const MergeResult result = ThreeWayMerge::merge(in);
        QCOMPARE(result.merged.text(QStringLiteral("nickname")), QStringLiteral("from crm"));
        QCOMPARE(result.merged.text(field::CrmId), QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        QCOMPARE(result.merged.id(), m_base.id());
        // Without a base nothing says which job title is the edit: held for a person, canonical does not win.
        QVERIFY(result.held);
        QCOMPARE(result.conflicts.size(), 1);
        QCOMPARE(result.conflicts.first().field, QStringLiteral("job_title"));
        QVERIFY(!result.conflicts.first().winner.has_value());
    }

    void withoutABaseTheNewerWriteWinsUnderLastWriterWins()
    {
        MergeInput in;
        in.policy = ConflictPolicy::LastWriterWins;
        in.versions = {{Layer::BigQuery, modifiedAt(with(m_base, "job_title", QStringLiteral("older")), 10)},
                       {Layer::Local, modifiedAt(with(m_base, "job_title", QStringLiteral("newer")), 20)}};
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(!result.held);
        QCOMPARE(title(result.merged), QStringLiteral("newer"));
        QCOMPARE(result.conflicts.first().rule, QStringLiteral("latest write"));
    }

    void aLayerThatMissedAWriteDoesNotRevertIt()
    {
        // The base moved on (a cycle wrote "new" to some layers); the CRM never got it and still holds what the
        // sync last left there, plus a person's edit of another field. Only that edit is its change.
        MergeInput in = input();
        const Contact before = with(m_base, "job_title", QStringLiteral("old"));
        in.base = with(m_base, "job_title", QStringLiteral("new"));
        for (Layer layer : allLayers())
            in.versions.insert(layer, *in.base);
        in.versions[Layer::Crm] = with(before, "nickname", QStringLiteral("edited in crm"));
        in.references.insert(Layer::Crm, before);
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(title(result.merged), QStringLiteral("new"));
        QCOMPARE(result.merged.text(QStringLiteral("nickname")), QStringLiteral("edited in crm"));
    }

    void aLayerTheSyncWroteIsNotAnEditAgainstANewerOne()
    {
        // Issue 8, scenario 1: BigQuery holds "first", written by the sync from Postgres; Postgres now says
        // "second". BigQuery's reference is what the sync wrote there, so only Postgres changed.
        MergeInput in = input();
        const Contact first = with(m_base, "nickname", QStringLiteral("first"));
        in.versions[Layer::BigQuery] = first;
        in.references.insert(Layer::BigQuery, first);
        in.versions[Layer::Supabase] = with(m_base, "nickname", QStringLiteral("second"));
        in.references.insert(Layer::Supabase, first);
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(result.merged.text(QStringLiteral("nickname")), QStringLiteral("second"));
    }

    void aStampingLayersDeletionTimeIsNoChange()
    {
        MergeInput in = input();
        const QDateTime sent = QDateTime(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);
        in.base = with(m_base, "deleted_at", sent);
        for (Layer layer : allLayers())
            in.versions.insert(layer, *in.base);
        in.versions[Layer::Crm] = with(m_base, "deleted_at", sent.addSecs(3)); // Twenty stamped its own time
        in.stampingLayers.insert(Layer::Crm);
        MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.fieldSources.isEmpty());
        QCOMPARE(result.merged.timestamp(field::DeletedAt), sent);
        in.stampingLayers.clear();
        result = ThreeWayMerge::merge(in);
        QCOMPARE(result.fieldSources.value(QStringLiteral("deleted_at")), Layer::Crm);
    }

    void layerOwnFieldsAreNotMerged()
    {
        MergeInput in = input();
        in.versions[Layer::Local] = modifiedAt(m_base, 999);
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.fieldSources.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestThreeWayMerge)
#include "tst_threewaymerge.moc"
