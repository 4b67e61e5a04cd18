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
        in.changed = {Layer::Crm, Layer::Local};
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
        in.changed = {Layer::Crm, Layer::Supabase};
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(title(result.merged), QStringLiteral("CTO"));
    }

    void mergePolicyLetsTheCanonicalLayerWin()
    {
        MergeInput in = input(ConflictPolicy::Merge);
        in.versions[Layer::BigQuery] = modifiedAt(with(m_base, "job_title", QStringLiteral("From BQ")), 1);
        in.versions[Layer::Crm] = modifiedAt(with(m_base, "job_title", QStringLiteral("From CRM")), 100);
        in.changed = {Layer::BigQuery, Layer::Crm};
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
        in.changed = {Layer::BigQuery, Layer::Local};
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
        in.changed = {Layer::Supabase, Layer::Local};
        const MergeResult result = ThreeWayMerge::merge(in);
        QCOMPARE(result.conflicts.first().winner, Layer::Supabase);
        QCOMPARE(result.conflicts.first().rule, QStringLiteral("layer order"));
    }

    void manualHoldsTheContactAndKeepsBothValues()
    {
        MergeInput in = input(ConflictPolicy::Manual);
        in.versions[Layer::Crm] = with(m_base, "job_title", QStringLiteral("A"));
        in.versions[Layer::Local] = with(with(m_base, "job_title", QStringLiteral("B")), "nickname", QStringLiteral("n"));
        in.changed = {Layer::Crm, Layer::Local};
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
        in.changed = {Layer::Crm, Layer::Local};
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
        in.changed = {Layer::Local};
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
        in.changed = {Layer::Supabase, Layer::Crm};
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
        in.changed = {Layer::BigQuery, Layer::Crm};
        const MergeResult result = ThreeWayMerge::merge(in);
        QCOMPARE(result.merged.text(QStringLiteral("nickname")), QStringLiteral("from crm"));
        QCOMPARE(title(result.merged), title(m_base)); // canonical wins the conflicting field
        QCOMPARE(result.merged.text(field::CrmId), QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"));
        QCOMPARE(result.merged.id(), m_base.id());
    }

    void layerOwnFieldsAreNotMerged()
    {
        MergeInput in = input();
        in.versions[Layer::Local] = modifiedAt(m_base, 999);
        in.changed = {Layer::Local};
        const MergeResult result = ThreeWayMerge::merge(in);
        QVERIFY(result.fieldSources.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestThreeWayMerge)
#include "tst_threewaymerge.moc"
