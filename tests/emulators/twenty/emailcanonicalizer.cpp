#include "twenty/emailcanonicalizer.h"

#include <QRegularExpression>
#include <QUrl>

namespace tf::emu {

namespace {

QString withoutTrailingDots(QString text)
{
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

} // namespace

QString EmailCanonicalizer::canonicalize(const QString &email)
{
    const QString trimmed = email.trimmed();
    const qsizetype at = trimmed.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return trimmed.toLower();
    const QString local = trimmed.left(at).toLower();
    QString domain = trimmed.mid(at + 1);
    for (const QChar dot : {QChar(0x3002), QChar(0xff0e), QChar(0xff61)})
        domain.replace(dot, QLatin1Char('.'));
    domain = withoutTrailingDots(domain).toLower();
    // A domain that is no host name is left for the validator to reject.
    static const QRegularExpression notAHost(QStringLiteral("[/\\\\?#:@\\s]"));
    if (domain.isEmpty() || notAHost.match(domain).hasMatch())
        return local + QLatin1Char('@') + domain;
    const QByteArray ace = QUrl::toAce(domain);
    if (ace.isEmpty())
        return local + QLatin1Char('@') + domain;
    return local + QLatin1Char('@') + withoutTrailingDots(QString::fromLatin1(ace));
}

bool EmailCanonicalizer::isValid(const QString &canonicalEmail)
{
    static const QRegularExpression zodEmail(
        QStringLiteral("^(?!\\.)(?!.*\\.\\.)([A-Za-z0-9_'+\\-\\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$"));
    return zodEmail.match(canonicalEmail).hasMatch();
}

} // namespace tf::emu
