#include "reliability/historychecker.h"

#include <QRegularExpression>
#include <QtTest>

using namespace tf;
using namespace tf::test;

namespace {

const QString kA = QStringLiteral("contact-a");
const QString kB = QStringLiteral("contact-b");
const QString kField = QStringLiteral("nickname");

// Four layers holding `values` (contact → value of kField), every row live, each contact once.
QMap<Layer, LayerSnapshot> layersHolding(const QMap<QString, QString> &values)
{
    QMap<Layer, LayerSnapshot> layers;
    for (Layer layer : allLayers()) {
        LayerSnapshot snapshot;
        snapshot.layer = layer;
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            snapshot.rows.append(LayerRow{it.key(), false, {{kField, it.value()}}});
        layers.insert(layer, snapshot);
    }
    return layers;
}

QJsonArray openConflictOn(const QString &contactId)
{
    return QJsonArray{QJsonObject{{QStringLiteral("contact_id"), contactId}, {QStringLiteral("field"), kField}}};
}

} // namespace

// The oracle of the reliability suites, checked on made-up layer contents: it must count exactly what happened to
// every edit, or a passing crash run proves nothing.
class TestHistoryChecker : public QObject {
    Q_OBJECT

    EditLog m_log;
    QStringList m_ids{kA, kB};

    HistoryChecker checked(const QMap<Layer, LayerSnapshot> &layers, const QJsonArray &open = {},
                           ConflictPolicy policy = ConflictPolicy::Merge)
    {
        HistoryChecker checker(m_log, policy);
        checker.check(layers, open, m_ids);
        return checker;
    }

private slots:
    void init()
    {
        m_log = EditLog();
        m_log.recordBaseline(kA, kField, QStringLiteral("base-a"));
        m_log.recordBaseline(kB, kField, QStringLiteral("base-b"));
    }

    void theLastEditEverywherePasses()
    {
        m_log.record(Layer::Crm, kA, kField, QStringLiteral("e1"), false);
        m_log.record(Layer::Crm, kA, kField, QStringLiteral("e2"), true);
        const HistoryChecker checker
            = checked(layersHolding({{kA, QStringLiteral("e2")}, {kB, QStringLiteral("base-b")}}));
        QVERIFY2(checker.passed(), qPrintable(checker.failures().join('\n')));
        QCOMPARE(checker.counts().survived, 1);
        QCOMPARE(checker.counts().superseded, 1);
        QCOMPARE(checker.counts().duringCycle, 1);
    }

    // Twenty has no conditional update: an edit made in Twenty between the sync's lookup and its write is overwritten
    // unseen. Only such an edit, inside such a window of the sync's own requests, is counted apart.
    void aTwentyEditInsideTheSyncsWindowIsCountedApart()
    {
        const Edit &edit = m_log.record(Layer::Crm, kA, kField, QStringLiteral("typed"), true);
        const qint64 at = edit.at.toMSecsSinceEpoch();
        const auto request = [](const char *method, const char *path, qint64 ms, const char *agent) {
            return QJsonObject{{QStringLiteral("method"), QString::fromLatin1(method)},
                               {QStringLiteral("path"), QString::fromLatin1(path)},
                               {QStringLiteral("receivedMs"), double(ms)},
                               {QStringLiteral("userAgent"), QString::fromLatin1(agent)}};
        };
        const auto layers = layersHolding({{kA, QStringLiteral("base-a")}, {kB, QStringLiteral("base-b")}});
        HistoryChecker inside(m_log, ConflictPolicy::Merge);
        inside.setTwentyRequestLog({request("GET", "/rest/people", at - 5, "truthforge-sync"),
                                    request("POST", "/rest/batch/people", at + 7, "truthforge-sync")});
        inside.check(layers, {}, m_ids);
        QVERIFY2(inside.passed(), qPrintable(inside.failures().join('\n')));
        QCOMPARE(inside.counts().lostInTwentyWindow, 1);
        QVERIFY(inside.notes().join(QString()).contains(QLatin1String("5 ms after the sync's lookup")));

        // The same requests from someone else, or a window that ended before the edit: a lost edit.
        HistoryChecker foreign(m_log, ConflictPolicy::Merge);
        foreign.setTwentyRequestLog({request("GET", "/rest/people", at - 5, "Mozilla/5.0"),
                                     request("POST", "/rest/batch/people", at + 7, "Mozilla/5.0")});
        foreign.check(layers, {}, m_ids);
        QCOMPARE(foreign.counts().lost, 1);
        HistoryChecker before(m_log, ConflictPolicy::Merge);
        before.setTwentyRequestLog({request("GET", "/rest/people", at - 9, "truthforge-sync"),
                                    request("POST", "/rest/batch/people", at - 2, "truthforge-sync")});
        before.check(layers, {}, m_ids);
        QCOMPARE(before.counts().lost, 1);
    }

    void anOlderValueEverywhereIsALostEdit()
    {
        m_log.record(Layer::Supabase, kA, kField, QStringLiteral("first"), false);
        m_log.record(Layer::Supabase, kA, kField, QStringLiteral("second"), true);
        const HistoryChecker checker
            = checked(layersHolding({{kA, QStringLiteral("first")}, {kB, QStringLiteral("base-b")}}));
        QVERIFY(!checker.passed());
        QCOMPARE(checker.counts().lost, 1);
        QCOMPARE(checker.counts().lostDuringCycle, 1);
        QCOMPARE(checker.lostContactIds(), QStringList{kA});
        // The message names the edit, its value and what each layer holds, with the edit that set it.
        const QString failure = checker.failures().join('\n');
        QVERIFY2(failure.contains(QStringLiteral("edit #2")) && failure.contains(QStringLiteral("'second'"))
                     && failure.contains(QStringLiteral("crm = 'first' [edit #1")),
                 qPrintable(failure));
    }

    void oneLayerBehindIsALostEdit()
    {
        m_log.record(Layer::Local, kA, kField, QStringLiteral("e1"), false);
        QMap<Layer, LayerSnapshot> layers = layersHolding({{kA, QStringLiteral("e1")}, {kB, QStringLiteral("base-b")}});
        layers[Layer::Crm].rows[0].values[kField] = QStringLiteral("base-a");
        QCOMPARE(checked(layers).counts().lost, 1);
    }

    void anOpenConflictHoldsTheEdit()
    {
        m_log.record(Layer::Local, kA, kField, QStringLiteral("e1"), false);
        const HistoryChecker checker = checked(
            layersHolding({{kA, QStringLiteral("base-a")}, {kB, QStringLiteral("base-b")}}), openConflictOn(kA));
        QVERIFY(checker.passed());
        QCOMPARE(checker.counts().held, 1);
    }

    void anUntouchedFieldThatChangedFails()
    {
        const HistoryChecker checker
            = checked(layersHolding({{kA, QStringLiteral("base-a")}, {kB, QStringLiteral("from nowhere")}}));
        QVERIFY(!checker.passed());
        QCOMPARE(checker.counts().untouchedChanged, 1);
    }

    void sameFieldConflictsFollowThePolicy_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<QString>("everywhere");
        QTest::addColumn<bool>("open");
        QTest::addColumn<int>("perPolicy");
        QTest::addColumn<int>("against");
        QTest::addColumn<int>("held");
        // The other layer's edit came last: merge picks bigquery's, last-writer-wins the other's.
        QTest::newRow("merge, canonical wins") << int(ConflictPolicy::Merge) << "bq" << false << 1 << 0 << 0;
        QTest::newRow("merge, the other wins") << int(ConflictPolicy::Merge) << "other" << false << 0 << 1 << 0;
        QTest::newRow("lww, the later wins") << int(ConflictPolicy::LastWriterWins) << "other" << false << 1 << 0 << 0;
        QTest::newRow("lww, the earlier wins") << int(ConflictPolicy::LastWriterWins) << "bq" << false << 0 << 1 << 0;
        QTest::newRow("manual, held") << int(ConflictPolicy::Manual) << "base-a" << true << 0 << 0 << 1;
        QTest::newRow("manual, decided") << int(ConflictPolicy::Manual) << "bq" << false << 0 << 1 << 0;
        QTest::newRow("merge, held") << int(ConflictPolicy::Merge) << "other" << true << 0 << 0 << 1;
    }
    void sameFieldConflictsFollowThePolicy()
    {
        QFETCH(int, policy);
        QFETCH(QString, everywhere);
        QFETCH(bool, open);
        QFETCH(int, perPolicy);
        QFETCH(int, against);
        QFETCH(int, held);
        const int group = m_log.newConflictGroup();
        m_log.record(Layer::BigQuery, kA, kField, QStringLiteral("bq"), false, group);
        m_log.record(Layer::Local, kA, kField, QStringLiteral("other"), false, group);
        const HistoryChecker checker = checked(layersHolding({{kA, everywhere}, {kB, QStringLiteral("base-b")}}),
                                               open ? openConflictOn(kA) : QJsonArray(), ConflictPolicy(policy));
        QCOMPARE(checker.counts().decidedPerPolicy, perPolicy);
        QCOMPARE(checker.counts().againstPolicy, against);
        QCOMPARE(checker.counts().conflictsHeld, held);
        QCOMPARE(checker.passed(), against == 0);
    }

    void layersThatDisagreeOnAConflictLoseIt()
    {
        const int group = m_log.newConflictGroup();
        m_log.record(Layer::BigQuery, kA, kField, QStringLiteral("bq"), false, group);
        m_log.record(Layer::Crm, kA, kField, QStringLiteral("other"), false, group);
        QMap<Layer, LayerSnapshot> layers = layersHolding({{kA, QStringLiteral("bq")}, {kB, QStringLiteral("base-b")}});
        layers[Layer::Crm].rows[0].values[kField] = QStringLiteral("other");
        const HistoryChecker checker = checked(layers);
        QCOMPARE(checker.counts().conflictsLost, 1);
        QVERIFY(!checker.passed());
    }

    void duplicatesAndMissingRowsAreCounted()
    {
        QMap<Layer, LayerSnapshot> layers
            = layersHolding({{kA, QStringLiteral("base-a")}, {kB, QStringLiteral("base-b")}});
        layers[Layer::BigQuery].rows.append(layers[Layer::BigQuery].rows.first()); // kA twice
        layers[Layer::Crm].rows.append(LayerRow{QStringLiteral("stranger"), false, {}});
        layers[Layer::Supabase].rows[1].deleted = true; // kB tombstoned
        layers[Layer::Local].rows.removeLast();         // kB gone
        const HistoryChecker checker = checked(layers);
        QCOMPARE(checker.counts().duplicates, 2);
        QCOMPARE(checker.counts().missingRows, 2);
        QVERIFY(!checker.passed());
    }

    void theSummaryNamesEveryCount()
    {
        m_log.record(Layer::Local, kA, kField, QStringLiteral("e1"), false);
        const QString table = checked(layersHolding({{kA, QStringLiteral("e1")}, {kB, QStringLiteral("base-b")}}))
                                  .summary(7, QStringLiteral("run"));
        for (const char *label : {"kills", "lost", "decided against policy", "duplicates", "held as an open conflict"})
            QVERIFY2(table.contains(QLatin1String(label)), qPrintable(table));
        QVERIFY(table.contains(QRegularExpression(QStringLiteral("kills \\(SIGKILL mid-cycle\\)\\s+7"))));
    }
};

QTEST_GUILESS_MAIN(TestHistoryChecker)
#include "tst_historychecker.moc"
