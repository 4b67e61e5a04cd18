#include "core/cyclereport.h"
#include "core/syncstatus.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

// The one status every shell shows: the worst condition wins, and nothing out of sync reads as idle.
class TestSyncStatus : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<StateDatabase> m_state;
    SyncConfig m_config;

    void recordCycle(const CycleReport &report)
    {
        m_state->setMeta(QStringLiteral("last_cycle"), QString::fromUtf8(QJsonDocument(report.toJson()).toJson()));
    }

private slots:
    void init()
    {
        m_state = std::make_unique<StateDatabase>(m_dir.filePath(QStringLiteral("state-%1.sqlite").arg(QTest::currentTestFunction())));
        m_state->open();
        m_config = SyncConfig();
        m_config.local = LocalSettings{m_dir.filePath(QStringLiteral("contacts.sqlite"))};
        m_config.crm = CrmSettings{};
    }

    void theStateFollowsSeverity_data()
    {
        QTest::addColumn<bool>("running");
        QTest::addColumn<bool>("paused");
        QTest::addColumn<QString>("blocker");
        QTest::addColumn<QString>("expected");
        QTest::newRow("idle") << false << false << QString() << QStringLiteral("idle");
        QTest::newRow("syncing") << true << false << QString() << QStringLiteral("syncing");
        QTest::newRow("paused beats syncing") << true << true << QString() << QStringLiteral("paused");
        QTest::newRow("error beats paused") << false << true << QStringLiteral("safety check: UNSAFE") << QStringLiteral("error");
        QTest::newRow("error beats syncing") << true << false << QStringLiteral("safety check: UNSAFE") << QStringLiteral("error");
    }
    void theStateFollowsSeverity()
    {
        QFETCH(bool, running);
        QFETCH(bool, paused);
        QFETCH(QString, blocker);
        QFETCH(QString, expected);
        const QStringList blockers = blocker.isEmpty() ? QStringList() : QStringList{blocker};
        const SyncStatus status = SyncStatus::collect(m_config, *m_state, {}, blockers, running, paused);
        QCOMPARE(syncStateName(status.state), expected);
        QCOMPARE(status.problems, blockers);
        QCOMPARE(status.paused, paused);
        QCOMPARE(status.running, running);
        QVERIFY(status.summary().contains(blocker));
    }

    void layersCarryTheirCountsAndErrors()
    {
        CycleReport report;
        report.pulled[Layer::Local] = 4;
        report.written[Layer::Crm] = 3;
        report.written[Layer::Local] = 1;
        report.errors << QStringLiteral("crm: 503 from http://127.0.0.1:3000/rest/batch/people");
        recordCycle(report);
        m_state->setWatermark(Layer::Local, QStringLiteral("log:17"));
        const SyncStatus status = SyncStatus::collect(m_config, *m_state, {}, {}, false, false);
        QCOMPARE(status.state, SyncStatus::State::Error);
        QCOMPARE(status.layers.size(), allLayers().size());
        const LayerStatus &bigquery = status.layers.at(int(Layer::BigQuery));
        QVERIFY(!bigquery.configured);
        const LayerStatus &crm = status.layers.at(int(Layer::Crm));
        QVERIFY(crm.configured);
        QCOMPARE(crm.writtenLastCycle, 3);
        QCOMPARE(crm.error, QStringLiteral("503 from http://127.0.0.1:3000/rest/batch/people"));
        const LayerStatus &local = status.layers.at(int(Layer::Local));
        QCOMPARE(local.pulledLastCycle, 4);
        QCOMPARE(local.writtenLastCycle, 1);
        QCOMPARE(local.watermark, QStringLiteral("log:17"));
        QVERIFY(local.error.isEmpty());
    }

    void aLayerThatCouldNotBeBuiltIsAnError()
    {
        const SyncStatus status =
            SyncStatus::collect(m_config, *m_state, {{Layer::Crm, QStringLiteral("crm: no API key")}}, {}, false, false);
        QCOMPARE(status.state, SyncStatus::State::Error);
        QCOMPARE(status.layers.at(int(Layer::Crm)).error, QStringLiteral("no API key"));
        QCOMPARE(status.problems, QStringList{QStringLiteral("crm: no API key")});
    }

    void openConflictsAndRefusedRecordsAreNotIdle()
    {
        m_state->addConflict(QStringLiteral("c1"), QStringLiteral("notes"), {}, {});
        SyncStatus status = SyncStatus::collect(m_config, *m_state, {}, {}, false, false);
        QCOMPARE(status.state, SyncStatus::State::Error);
        QCOMPARE(status.openConflicts, 1);
        m_state->resolveConflict(m_state->conflicts().first().id, QStringLiteral("local"));
        QCOMPARE(SyncStatus::collect(m_config, *m_state, {}, {}, false, false).state, SyncStatus::State::Idle);

        m_state->addDeadLetter(QStringLiteral("c2"), Layer::Crm, QStringLiteral("phone without calling code"));
        status = SyncStatus::collect(m_config, *m_state, {}, {}, false, false);
        QCOMPARE(status.state, SyncStatus::State::Error);
        QCOMPARE(status.deadLetters, 1);
    }

    void aCleanCycleSetsTheTimeAndCounts()
    {
        recordCycle(CycleReport());
        m_state->setMeta(QStringLiteral("last_sync_time"), QStringLiteral("2026-01-02T03:04:05.678Z"));
        m_state->setMeta(QStringLiteral("total_synced"), QStringLiteral("42"));
        const SyncStatus status = SyncStatus::collect(m_config, *m_state, {}, {}, false, false);
        QCOMPARE(status.state, SyncStatus::State::Idle);
        QCOMPARE(status.totalSynced, 42);
        QCOMPARE(status.lastSyncTime, QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC));
    }
};

QTEST_GUILESS_MAIN(TestSyncStatus)
#include "tst_syncstatus.moc"
