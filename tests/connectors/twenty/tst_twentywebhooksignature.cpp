#include "connectors/twenty/webhooksignature.h"

#include <QtTest>

using namespace tf;

namespace {

// The conformance vector of twenty-rest.md §7.3, computed with Node's crypto and cross-checked with Python's hmac.
const QByteArray kSecret = "test-webhook-secret-0123456789abcdef";
const QByteArray kTimestamp = "1772443527190";
const QByteArray kSignature = "e95551c68481b9c908a187a28f94a27265721c688020dffaa0236746d90acff8";
// The raw body, exact bytes (596, no trailing newline).
const QByteArray kBody
    = R"({"targetUrl":"https://sync.example.com/twenty/webhook","eventName":"person.updated","objectMetadata")"
      R"(:{"id":"c1d2e3f4-0a1b-4c2d-8e3f-405162738495","nameSingular":"person"},"workspaceId":"20202020-1c25-)"
      R"(4d02-bf25-6aeccf7ea419","webhookId":"5b0e7c0a-2f4d-4a39-9d7e-8c1f2a3b4c5d","eventDate":"2026-03-02T0)"
      R"(9:15:27.181Z","record":{"id":"3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11","name":{"firstName":"Ada","lastN)"
      R"(ame":"Lovelace"},"emails":{"primaryEmail":"ada@example.com","additionalEmails":[]},"jobTitle":"Chief)"
      R"( Analyst","updatedAt":"2026-03-02T09:15:27.118Z","deletedAt":null},"updatedFields":["jobTitle"]})";

constexpr qint64 kSentMs = 1772443527190;
constexpr qint64 kMinute = 60 * 1000;

using Verdict = TwentyWebhookSignature::Verdict;

} // namespace

Q_DECLARE_METATYPE(TwentyWebhookSignature::Verdict)

// The receiving end of Twenty's webhooks: which deliveries are accepted, and why the others are refused.
class TestTwentyWebhookSignature : public QObject {
    Q_OBJECT

private slots:
    void theSpecsVectorIsAccepted()
    {
        QCOMPARE(kBody.size(), 596);
        QCOMPARE(TwentyWebhookSignature::sign(kSecret, kTimestamp, kBody), kSignature);
        const TwentyWebhookSignature verifier(kSecret);
        const TwentyWebhookSignature::Result result = verifier.verify(kTimestamp, kSignature, kBody, kSentMs + 2000);
        QVERIFY2(result.isValid(), qPrintable(result.reason));
        QVERIFY(result.reason.isEmpty());
        // Upper-case hex and the whitespace HTTP allows around a header value are the same signature.
        QVERIFY(verifier.verify(" " + kTimestamp + " ", kSignature.toUpper() + "\t", kBody, kSentMs).isValid());
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("timestamp");
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("nowMs");
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("reason");

        QByteArray tampered = kBody;
        tampered.replace("Chief Analyst", "Chief Analyzt");
        QTest::newRow("tampered body") << kTimestamp << kSignature << tampered << kSentMs << Verdict::Mismatch
                                       << "does not match";
        QTest::newRow("body re-serialised") << kTimestamp << kSignature << QByteArray(kBody).replace(",", ", ")
                                            << kSentMs << Verdict::Mismatch << "does not match";
        QTest::newRow("body with a trailing newline") << kTimestamp << kSignature << kBody + "\n"
                                                      << kSentMs << Verdict::Mismatch << "does not match";
        QTest::newRow("another timestamp, in the window")
            << QByteArray("1772443527191") << kSignature << kBody << kSentMs << Verdict::Mismatch << "does not match";
        QByteArray flipped = kSignature;
        flipped[63] = '9';
        QTest::newRow("one digit of the signature")
            << kTimestamp << flipped << kBody << kSentMs << Verdict::Mismatch << "does not match";
        QTest::newRow("stale") << kTimestamp << kSignature << kBody << kSentMs + 5 * kMinute + 1 << Verdict::Stale
                               << "is 300 s old, more than the 300 s allowed";
        QTest::newRow("from the future") << kTimestamp << kSignature << kBody << kSentMs - 5 * kMinute - 1
                                         << Verdict::Future << "is 300 s ahead of this clock";
        QTest::newRow("no timestamp") << QByteArray() << kSignature << kBody << kSentMs << Verdict::MissingHeader
                                      << "X-Twenty-Webhook-Timestamp is missing";
        QTest::newRow("blank signature") << kTimestamp << QByteArray("  ") << kBody << kSentMs << Verdict::MissingHeader
                                         << "X-Twenty-Webhook-Signature is missing";
        QTest::newRow("timestamp in seconds with a fraction")
            << QByteArray("1772443527.190") << kSignature << kBody << kSentMs << Verdict::MalformedTimestamp
            << "'1772443527.190' is not a number of milliseconds";
        QTest::newRow("negative timestamp") << QByteArray("-1") << kSignature << kBody << kSentMs
                                            << Verdict::MalformedTimestamp << "is not a number of milliseconds";
        QTest::newRow("timestamp past 15 digits") << QByteArray("0001772443527190") << kSignature << kBody << kSentMs
                                                  << Verdict::MalformedTimestamp << "is not a number of milliseconds";
        QTest::newRow("not hex") << kTimestamp << QByteArray(kSignature).replace('e', 'g') << kBody << kSentMs
                                 << Verdict::NotHex << "is not hexadecimal";
        QTest::newRow("sha256= prefix") << kTimestamp << "sha256=" + kSignature << kBody << kSentMs << Verdict::NotHex
                                        << "'sha256=e95551c6";
        QTest::newRow("base64") << kTimestamp << QByteArray::fromHex(kSignature).toBase64() << kBody << kSentMs
                                << Verdict::NotHex << "is not hexadecimal";
        QTest::newRow("truncated") << kTimestamp << kSignature.left(62) << kBody << kSentMs << Verdict::WrongLength
                                   << "has 62 hex digits, a SHA-256 signature has 64";
        QTest::newRow("odd length") << kTimestamp << kSignature + "0" << kBody << kSentMs << Verdict::WrongLength
                                    << "has 65 hex digits";
        QTest::newRow("sha1 length") << kTimestamp << kSignature.left(40) << kBody << kSentMs << Verdict::WrongLength
                                     << "has 40 hex digits";
    }
    void refusals()
    {
        QFETCH(QByteArray, timestamp);
        QFETCH(QByteArray, signature);
        QFETCH(QByteArray, body);
        QFETCH(qint64, nowMs);
        QFETCH(Verdict, verdict);
        QFETCH(QString, reason);
        const TwentyWebhookSignature::Result result
            = TwentyWebhookSignature(kSecret).verify(timestamp, signature, body, nowMs);
        QCOMPARE(result.verdict, verdict);
        QVERIFY2(!result.isValid(), qPrintable(result.reason));
        QVERIFY2(result.reason.contains(reason), qPrintable(result.reason));
    }

    void theWindowIsInclusiveAndConfigurable()
    {
        const TwentyWebhookSignature fiveMinutes(kSecret);
        QVERIFY(fiveMinutes.verify(kTimestamp, kSignature, kBody, kSentMs + 5 * kMinute).isValid());
        QVERIFY(fiveMinutes.verify(kTimestamp, kSignature, kBody, kSentMs - 5 * kMinute).isValid());
        const TwentyWebhookSignature oneSecond(kSecret, 1000);
        QVERIFY(oneSecond.verify(kTimestamp, kSignature, kBody, kSentMs + 1000).isValid());
        QCOMPARE(oneSecond.verify(kTimestamp, kSignature, kBody, kSentMs + 1001).verdict, Verdict::Stale);
        QCOMPARE(oneSecond.verify(kTimestamp, kSignature, kBody, kSentMs - 1001).verdict, Verdict::Future);
        // A clock at either end of qint64 overflows no bound.
        QCOMPARE(fiveMinutes.verify(kTimestamp, kSignature, kBody, std::numeric_limits<qint64>::max()).verdict,
                 Verdict::Stale);
        QCOMPARE(fiveMinutes.verify(kTimestamp, kSignature, kBody, std::numeric_limits<qint64>::min()).verdict,
                 Verdict::Future);
    }

    void anotherSecretDoesNotVerify()
    {
        QCOMPARE(TwentyWebhookSignature("test-webhook-secret-0123456789abcdeF")
                     .verify(kTimestamp, kSignature, kBody, kSentMs)
                     .verdict,
                 Verdict::Mismatch);
        // Without a secret nothing is accepted, not even a signature made with the empty key.
        const QByteArray unkeyed = TwentyWebhookSignature::sign(QByteArray(), kTimestamp, kBody);
        const TwentyWebhookSignature::Result none
            = TwentyWebhookSignature(QByteArray()).verify(kTimestamp, unkeyed, kBody, kSentMs);
        QCOMPARE(none.verdict, Verdict::NoSecret);
        QVERIFY(none.reason.contains(QStringLiteral("no webhook secret")));
    }

    void headerNamesAreTwentys()
    {
        QCOMPARE(QByteArray(TwentyWebhookSignature::TimestampHeader), QByteArray("X-Twenty-Webhook-Timestamp"));
        QCOMPARE(QByteArray(TwentyWebhookSignature::SignatureHeader), QByteArray("X-Twenty-Webhook-Signature"));
    }
};

QTEST_GUILESS_MAIN(TestTwentyWebhookSignature)
#include "tst_twentywebhooksignature.moc"
