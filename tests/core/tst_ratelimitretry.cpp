#include "core/retrypolicy.h"
#include "core/tokenbucket.h"

#include <QtTest>

using namespace tf;

class TestRateLimitRetry : public QObject
{
    Q_OBJECT

private slots:
    void backoffDoublesUpToTheCap()
    {
        RetryPolicy policy({6, 1000, 8000, 0.5}, [] { return 0.0; }); // no jitter drawn: the ceiling itself
        QCOMPARE(policy.delayMs(1), 1000);
        QCOMPARE(policy.delayMs(2), 2000);
        QCOMPARE(policy.delayMs(3), 4000);
        QCOMPARE(policy.delayMs(4), 8000);
        QCOMPARE(policy.delayMs(9), 8000);
        QVERIFY(policy.shouldRetry(5));
        QVERIFY(!policy.shouldRetry(6));
    }

    void jitterStaysInItsBand()
    {
        RetryPolicy policy({6, 1000, 8000, 0.5}, [] { return 1.0; });
        QCOMPARE(policy.delayMs(3), 2000); // 4000 · (1 − 0.5)
    }

    void retryAfterIsAFloor()
    {
        RetryPolicy policy({6, 1000, 8000, 0.5}, [] { return 0.0; });
        QCOMPARE(policy.delayMs(1, 12000), 12000);
        QCOMPARE(policy.delayMs(3, 10), 4000);
    }

    void bucketStartsFullAndRefillsContinuously()
    {
        qint64 now = 0;
        TokenBucket bucket(100, 60000, [&now] { return now; });
        for (int i = 0; i < 100; ++i)
            QCOMPARE(bucket.tryAcquire(), 0);
        const qint64 wait = bucket.tryAcquire();
        QCOMPARE(wait, 600); // 60000 ms / 100 tokens
        now += 599;
        QVERIFY(bucket.tryAcquire() > 0);
        now += 1;
        QCOMPARE(bucket.tryAcquire(), 0);
        now += 10 * 60000;
        QCOMPARE(bucket.available(), 100.0); // never above capacity
    }

    void aRunOfRequestsWaitsForAllItsTokensFirst()
    {
        qint64 now = 0;
        TokenBucket bucket(100, 60000, [&now] { return now; }); // 100 a minute: one token per 600 ms
        for (int i = 0; i < 99; ++i)
            QCOMPARE(bucket.tryAcquire(), 0);
        QCOMPARE(bucket.waitFor(1), 0);
        QCOMPARE(bucket.waitFor(3), 1200); // two more tokens to come
        now += 1200;
        QCOMPARE(bucket.waitFor(3), 0);
        QCOMPARE(bucket.waitFor(1000), 60000 - 1800); // never more than the bucket holds
        for (int i = 0; i < 3; ++i)
            QCOMPARE(bucket.tryAcquire(), 0); // the run goes out without a wait in between
    }

    void drainAfterA429()
    {
        qint64 now = 0;
        TokenBucket bucket(10, 1000, [&now] { return now; });
        bucket.drain();
        QCOMPARE(bucket.tryAcquire(), 100);
    }
};

QTEST_GUILESS_MAIN(TestRateLimitRetry)
#include "tst_ratelimitretry.moc"
