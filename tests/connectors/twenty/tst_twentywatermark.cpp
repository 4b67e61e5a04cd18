#include "connectors/twenty/twentywatermark.h"
#include "core/connector.h"

#include <QtTest>

using namespace tf;

// The watermark of the crm layer: two streams in one string, inclusive bounds with (person id, ms) dedupe and an
// overlap (twenty-rest.md §9 #19).
class TestTwentyWatermark : public QObject
{
    Q_OBJECT

    static QDateTime at(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(1772443527000 + ms, Qt::UTC); }

private slots:
    void emptyIsTheBeginningOfBothStreams()
    {
        const TwentyWatermark start = TwentyWatermark::decode(QString());
        QVERIFY(!start.updated.from.isValid());
        QVERIFY(!start.deleted.from.isValid());
        QVERIFY(start.updated.cursor.isEmpty());
        QVERIFY(start.updated.seen.isEmpty());
    }

    void roundTripsThroughItsText()
    {
        TwentyWatermark w;
        w.updated.from = at(0);
        w.updated.cursor = QStringLiteral("eyJpZCI6IjNmNmMifQ==");
        w.updated.report(QStringLiteral("p1"), at(100), 1000);
        w.updated.report(QStringLiteral("p2"), at(100), 1000);
        w.deleted.from = at(-5000);
        w.deleted.report(QStringLiteral("p3"), at(7), 0);
        const TwentyWatermark back = TwentyWatermark::decode(w.encode());
        QCOMPARE(back.updated.from, w.updated.from);
        QCOMPARE(back.updated.cursor, w.updated.cursor);
        QCOMPARE(back.updated.seen, w.updated.seen);
        QCOMPARE(back.deleted.from, w.deleted.from);
        QCOMPARE(back.deleted.seen, w.deleted.seen);
        QVERIFY(back.updated.reportedAlready(QStringLiteral("p1"), at(100)));
        QVERIFY(!back.updated.reportedAlready(QStringLiteral("p1"), at(101))); // a later version is a new change
        QVERIFY(!back.updated.reportedAlready(QStringLiteral("p3"), at(7)));   // the other stream's
    }

    void foreignTextIsAConfigurationError_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("number") << "42";
        QTest::newRow("other version") << R"({"v":2})";
        QTest::newRow("bad time") << R"({"v":1,"updated":{"from":"yesterday"}})";
        QTest::newRow("bad seen") << R"({"v":1,"deleted":{"seen":{"p":"x"}}})";
        QTest::newRow("not json") << "{v:1";
    }
    void foreignTextIsAConfigurationError()
    {
        QFETCH(QString, text);
        try {
            TwentyWatermark::decode(text);
            QFAIL("accepted");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Configuration);
            QCOMPARE(error.layer(), Layer::Crm);
            QVERIFY2(error.message().contains(QStringLiteral("watermark")), qPrintable(error.message()));
        }
    }

    void remembersOnlyTheOverlapWindow()
    {
        TwentyStream s;
        s.report(QStringLiteral("old"), at(0), 1000);
        s.report(QStringLiteral("mid"), at(600), 1000);
        s.report(QStringLiteral("new"), at(1500), 1000);
        QVERIFY(!s.seen.contains(QStringLiteral("old"))); // 1500 − 1000 > 0: behind the cursor for good
        QVERIFY(s.seen.contains(QStringLiteral("mid")));
        QVERIFY(s.seen.contains(QStringLiteral("new")));
        s.report(QStringLiteral("mid"), at(1600), 1000); // a person's newer version replaces the older
        QCOMPARE(s.seen.value(QStringLiteral("mid")), at(1600).toMSecsSinceEpoch());
    }

    void theNextScanStartsAnOverlapBeforeTheNewestChange()
    {
        TwentyStream s;
        s.cursor = QStringLiteral("c");
        s.report(QStringLiteral("a"), at(2000), 1000);
        s.report(QStringLiteral("b"), at(2000), 1000);
        s.finishScan(1000);
        QCOMPARE(s.from, at(1000));
        QVERIFY(s.cursor.isEmpty());
        // Both rows stamped 2000 are inside the next scan's range and skipped there.
        QVERIFY(s.reportedAlready(QStringLiteral("a"), at(2000)));
        QVERIFY(s.reportedAlready(QStringLiteral("b"), at(2000)));
        // A scan that found nothing keeps its bound.
        TwentyStream empty;
        empty.from = at(5);
        empty.finishScan(1000);
        QCOMPARE(empty.from, at(5));
        // Without overlap the bound is the newest change itself (inclusive gte).
        TwentyStream exact;
        exact.report(QStringLiteral("a"), at(300), 0);
        exact.finishScan(0);
        QCOMPARE(exact.from, at(300));
    }
};

QTEST_GUILESS_MAIN(TestTwentyWatermark)
#include "tst_twentywatermark.moc"
