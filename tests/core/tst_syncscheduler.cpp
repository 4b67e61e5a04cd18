#include "core/syncscheduler.h"

#include <QEventLoop>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

namespace {

// A layer that waits for its answer in a nested event loop, as the HTTP connectors do: whatever is queued on the
// thread meanwhile gets delivered in the middle of the read.
class NestedLoopLayer : public Connector
{
    Q_OBJECT
public:
    Layer layer() const override { return Layer::Local; }
    void provision() override {}
    ChangePage readChanges(const QString &, int) override
    {
        ++reads;
        if (duringRead)
            duringRead();
        spin();
        return {};
    }
    QList<Contact> readByIds(const QStringList &) override { return {}; }
    WriteResult writeBatch(const QList<Contact> &, const ExpectedVersions &) override { return {}; }
    QList<HealthCheck> healthChecks() override { return {}; }

    static void spin()
    {
        QEventLoop loop;
        QTimer::singleShot(0, &loop, &QEventLoop::quit); // after everything posted before it
        loop.exec();
    }

    int reads = 0;
    std::function<void()> duringRead;
};

} // namespace

// runBetweenCycles: a shell's request and a cycle never run inside one another on the engine's thread.
class TestSyncScheduler : public QObject
{
    Q_OBJECT

    struct Stand {
        QTemporaryDir dir;
        StateDatabase state{dir.filePath(QStringLiteral("state.sqlite"))};
        NestedLoopLayer layer;
        std::unique_ptr<SyncEngine> engine;
        std::unique_ptr<SyncScheduler> scheduler;
        QStringList events;

        Stand()
        {
            state.open();
            engine = std::make_unique<SyncEngine>(&state, QMap<Layer, Connector *>{{Layer::Local, &layer}}, SyncSettings{});
            scheduler = std::make_unique<SyncScheduler>(engine.get(), 3600);
            QObject::connect(engine.get(), &SyncEngine::cycleStarted, [this] { events << QStringLiteral("cycle started"); });
            QObject::connect(engine.get(), &SyncEngine::cycleFinished, [this] { events << QStringLiteral("cycle finished"); });
        }
    };

private slots:
    void workAskedForDuringACycleRunsAfterIt()
    {
        Stand stand;
        stand.layer.duringRead = [&] {
            QTimer::singleShot(0, stand.scheduler.get(), [&] {
                stand.scheduler->runBetweenCycles([&] {
                    stand.events << (stand.scheduler->isRunningCycle() ? QStringLiteral("work inside a cycle")
                                                                       : QStringLiteral("work"));
                });
            });
        };
        stand.scheduler->syncNow();
        QTRY_COMPARE(stand.events.size(), 3);
        QCOMPARE(stand.events, (QStringList{QStringLiteral("cycle started"), QStringLiteral("cycle finished"), QStringLiteral("work")}));
    }

    void aCycleDueDuringWorkRunsAfterIt()
    {
        Stand stand;
        stand.scheduler->runBetweenCycles([&] {
            stand.events << QStringLiteral("work started");
            stand.scheduler->syncNow();
            NestedLoopLayer::spin(); // the work waits for an answer, as a health check over HTTP does
            stand.events << QStringLiteral("work finished");
        });
        QTRY_COMPARE(stand.events.size(), 4);
        QCOMPARE(stand.events, (QStringList{QStringLiteral("work started"), QStringLiteral("work finished"),
                                            QStringLiteral("cycle started"), QStringLiteral("cycle finished")}));
        QCOMPARE(stand.layer.reads, 1);
    }

    void workRunsInOrderAndAtOnceWhenIdle()
    {
        Stand stand;
        stand.scheduler->runBetweenCycles([&] {
            stand.events << QStringLiteral("first");
            stand.scheduler->runBetweenCycles([&] { stand.events << QStringLiteral("queued by the first"); });
            stand.events << QStringLiteral("first done");
        });
        stand.scheduler->runBetweenCycles([&] { stand.events << QStringLiteral("second"); });
        QCOMPARE(stand.events, (QStringList{QStringLiteral("first"), QStringLiteral("first done"),
                                            QStringLiteral("queued by the first"), QStringLiteral("second")}));
    }
};

QTEST_GUILESS_MAIN(TestSyncScheduler)
#include "tst_syncscheduler.moc"
