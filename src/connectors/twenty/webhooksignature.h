#pragma once

#include <QByteArray>
#include <QString>

namespace tf {

// Checks that a webhook delivery comes from our Twenty workspace (twenty-rest.md §7.3). Twenty signs
//   hex(HMAC-SHA256(key = secret, msg = X-Twenty-Webhook-Timestamp ":" raw body bytes))
// and sends it in X-Twenty-Webhook-Signature; the timestamp is Date.now() in milliseconds. The body must be the
// bytes as received: re-serialising parsed JSON changes them. Twenty does not reject old timestamps itself, so a
// replayed delivery is refused here once its timestamp is outside the window around the receiver's clock.
class TwentyWebhookSignature {
public:
    static constexpr qint64 DefaultWindowMs = 5 * 60 * 1000; // "about 5 minutes" (§7.3 verifier notes)
    static constexpr int DigestBytes = 32;                   // SHA-256
    static constexpr const char *TimestampHeader = "X-Twenty-Webhook-Timestamp";
    static constexpr const char *SignatureHeader = "X-Twenty-Webhook-Signature";

    enum class Verdict {
        Valid,
        NoSecret,           // no secret configured: nothing can be verified, so nothing is accepted
        MissingHeader,      // the timestamp or the signature header is absent or empty
        MalformedTimestamp, // not a decimal number of milliseconds
        NotHex,             // the signature holds a character that is not a hex digit
        WrongLength,        // hex, but not the 64 digits of a SHA-256 digest
        Stale,              // the timestamp is older than the window
        Future,             // the timestamp is further ahead of the receiver's clock than the window
        Mismatch,           // well-formed, but not the signature of this body with this timestamp and secret
    };

    struct Result {
        Verdict verdict = Verdict::Mismatch;
        QString reason; // for the log: which header and what was wrong ("" when valid)
        bool isValid() const { return verdict == Verdict::Valid; }
    };

    // `windowMs`: how far the delivery's timestamp may lie from the receiver's clock, either way (negative = 0).
    explicit TwentyWebhookSignature(QByteArray secret, qint64 windowMs = DefaultWindowMs);

    // The header values as received (empty = the header is missing), the raw body, and the receiver's clock in
    // milliseconds since the epoch. The signature is compared in constant time.
    Result verify(const QByteArray &timestampHeader, const QByteArray &signatureHeader, const QByteArray &rawBody,
                  qint64 nowMs) const;

    // What Twenty sends in X-Twenty-Webhook-Signature for this timestamp and body: 64 lower-case hex digits.
    static QByteArray sign(const QByteArray &secret, const QByteArray &timestamp, const QByteArray &rawBody);

private:
    QByteArray m_secret;
    qint64 m_windowMs;
};

} // namespace tf
