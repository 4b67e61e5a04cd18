#include "connectors/twenty/webhooksignature.h"

#include <QMessageAuthenticationCode>
#include <QtNumeric>
#include <algorithm>
#include <openssl/crypto.h>

namespace tf {

namespace {

// Milliseconds since the epoch have 13 digits today; 15 reach the year 33658 and always fit a qint64.
constexpr int kMaxTimestampDigits = 15;

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

TwentyWebhookSignature::Result refused(TwentyWebhookSignature::Verdict verdict, const QString &reason)
{
    return {verdict, reason};
}

// Seconds between two instants for a message, computed in double: the receiver's clock may be anything.
QString secondsBetween(qint64 laterMs, qint64 earlierMs)
{
    return QString::number((double(laterMs) - double(earlierMs)) / 1000, 'f', 0);
}

QString shown(const QByteArray &value)
{
    // A header is attacker-controlled text: quote a short, printable prefix of it in the reason.
    QString text = QString::fromLatin1(value.left(40));
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            c = QLatin1Char('?');
    }
    return QLatin1Char('\'') + text + (value.size() > 40 ? QStringLiteral("...'") : QStringLiteral("'"));
}

} // namespace

TwentyWebhookSignature::TwentyWebhookSignature(QByteArray secret, qint64 windowMs)
    : m_secret(std::move(secret))
    , m_windowMs(qMax<qint64>(0, windowMs))
{
}

QByteArray TwentyWebhookSignature::sign(const QByteArray &secret, const QByteArray &timestamp,
                                        const QByteArray &rawBody)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(timestamp);
    mac.addData(":", 1);
    mac.addData(rawBody);
    return mac.result().toHex();
}

TwentyWebhookSignature::Result TwentyWebhookSignature::verify(const QByteArray &timestampHeader,
                                                              const QByteArray &signatureHeader,
                                                              const QByteArray &rawBody, qint64 nowMs) const
{
    if (m_secret.isEmpty())
        return refused(Verdict::NoSecret, QStringLiteral("no webhook secret is configured"));
    // HTTP strips the optional whitespace around a field value; the signed timestamp is the value itself.
    const QByteArray timestamp = timestampHeader.trimmed();
    const QByteArray signature = signatureHeader.trimmed();
    if (timestamp.isEmpty())
        return refused(Verdict::MissingHeader, QStringLiteral("%1 is missing").arg(QLatin1String(TimestampHeader)));
    if (signature.isEmpty())
        return refused(Verdict::MissingHeader, QStringLiteral("%1 is missing").arg(QLatin1String(SignatureHeader)));

    const bool digitsOnly
        = std::all_of(timestamp.cbegin(), timestamp.cend(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digitsOnly || timestamp.size() > kMaxTimestampDigits) {
        return refused(Verdict::MalformedTimestamp,
                       QStringLiteral("%1 %2 is not a number of milliseconds")
                           .arg(QLatin1String(TimestampHeader), shown(timestamp)));
    }
    if (!std::all_of(signature.cbegin(), signature.cend(), isHexDigit)) {
        return refused(
            Verdict::NotHex,
            QStringLiteral("%1 %2 is not hexadecimal").arg(QLatin1String(SignatureHeader), shown(signature)));
    }
    if (signature.size() != 2 * DigestBytes) {
        return refused(Verdict::WrongLength,
                       QStringLiteral("%1 has %2 hex digits, a SHA-256 signature has %3")
                           .arg(QLatin1String(SignatureHeader))
                           .arg(signature.size())
                           .arg(2 * DigestBytes));
    }

    // A bound that overflows lies beyond every timestamp: nothing is stale (or ahead) of it.
    const qint64 sentMs = timestamp.toLongLong();
    qint64 oldestMs = 0;
    qint64 newestMs = 0;
    if (!qSubOverflow(nowMs, m_windowMs, &oldestMs) && sentMs < oldestMs) {
        return refused(Verdict::Stale,
                       QStringLiteral("%1 %2 is %3 s old, more than the %4 s allowed")
                           .arg(QLatin1String(TimestampHeader), QString::fromLatin1(timestamp))
                           .arg(secondsBetween(nowMs, sentMs))
                           .arg(m_windowMs / 1000));
    }
    if (!qAddOverflow(nowMs, m_windowMs, &newestMs) && sentMs > newestMs) {
        return refused(Verdict::Future,
                       QStringLiteral("%1 %2 is %3 s ahead of this clock, more than the %4 s allowed")
                           .arg(QLatin1String(TimestampHeader), QString::fromLatin1(timestamp))
                           .arg(secondsBetween(sentMs, nowMs))
                           .arg(m_windowMs / 1000));
    }

    const QByteArray expected = QByteArray::fromHex(sign(m_secret, timestamp, rawBody));
    const QByteArray received = QByteArray::fromHex(signature);
    if (CRYPTO_memcmp(expected.constData(), received.constData(), DigestBytes) != 0) {
        return refused(Verdict::Mismatch,
                       QStringLiteral("%1 does not match the body and timestamp").arg(QLatin1String(SignatureHeader)));
    }
    return {Verdict::Valid, QString()};
}

} // namespace tf
