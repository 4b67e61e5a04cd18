// The verifier of Twenty's webhook deliveries (TwentyWebhookSignature, twenty-rest.md §7.3). Input: the secret,
// the X-Twenty-Webhook-Timestamp and X-Twenty-Webhook-Signature headers on one line each, then the raw body.
// Nothing crashes; only a delivery signed with the secret is accepted; what sign() makes verifies; a body changed
// by one byte does not.
#include "connectors/twenty/webhooksignature.h"
#include "fuzzsupport.h"

using namespace tf;

namespace {

using Verdict = TwentyWebhookSignature::Verdict;

QString describe(const TwentyWebhookSignature::Result &result)
{
    return QStringLiteral("verdict %1: %2").arg(int(result.verdict)).arg(result.reason);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArray> input = fuzz::parts(fuzz::bytes(data, size), 4);
    const QByteArray &secret = input.at(0);
    const QByteArray &timestamp = input.at(1);
    const QByteArray &signature = input.at(2);
    const QByteArray &body = input.at(3);
    const TwentyWebhookSignature verifier(secret);

    // The delivery as it came, at the clock it names (so the window is no obstacle) and at a fixed one.
    bool numeric = false;
    const qint64 sentMs = timestamp.trimmed().toLongLong(&numeric);
    for (const qint64 nowMs : {numeric ? sentMs : qint64(0), qint64(1772443527190)}) {
        const TwentyWebhookSignature::Result result = verifier.verify(timestamp, signature, body, nowMs);
        TF_FUZZ_CHECK(result.isValid() == result.reason.isEmpty(), describe(result));
        if (result.isValid()) {
            const QByteArray expected = TwentyWebhookSignature::sign(secret, timestamp.trimmed(), body);
            TF_FUZZ_CHECK(signature.trimmed().toLower() == expected,
                          QStringLiteral("accepted '%1', the signature is '%2'")
                              .arg(QString::fromLatin1(signature), QString::fromLatin1(expected)));
        }
    }

    // Signed with the secret: accepted when the timestamp is well-formed; any other body is refused.
    if (secret.isEmpty() || !numeric || sentMs < 0 || timestamp.trimmed().size() > 15
        || timestamp.trimmed() != QByteArray::number(sentMs).rightJustified(timestamp.trimmed().size(), '0'))
        return 0;
    const QByteArray signedNow = TwentyWebhookSignature::sign(secret, timestamp.trimmed(), body);
    const TwentyWebhookSignature::Result genuine = verifier.verify(timestamp, signedNow, body, sentMs);
    TF_FUZZ_CHECK(genuine.isValid(), describe(genuine));
    QByteArray tampered = body.isEmpty() ? QByteArray(" ") : body;
    tampered[tampered.size() / 2] = char(tampered.at(tampered.size() / 2) ^ 0x01);
    const TwentyWebhookSignature::Result forged = verifier.verify(timestamp, signedNow, tampered, sentMs);
    TF_FUZZ_CHECK(forged.verdict == Verdict::Mismatch, describe(forged));
    return 0;
}
