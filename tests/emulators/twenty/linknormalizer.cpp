#include "twenty/linknormalizer.h"

#include <QUrl>

namespace tf::emu {

QString LinkNormalizer::normalize(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || parsed.host().isEmpty() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return url;
    const qsizetype hostStart = url.indexOf(QStringLiteral("://"));
    if (hostStart < 0)
        return url;
    qsizetype hostEnd = url.size();
    for (const QChar boundary : {QLatin1Char('/'), QLatin1Char('\\'), QLatin1Char('?'), QLatin1Char('#')}) {
        const qsizetype at = url.indexOf(boundary, hostStart + 3);
        if (at >= 0)
            hostEnd = qMin(hostEnd, at);
    }
    const int defaultPort = scheme == QLatin1String("https") ? 443 : 80;
    QString origin = scheme + QStringLiteral("://") + QString::fromLatin1(QUrl::toAce(parsed.host())).toLower();
    if (parsed.port() != -1 && parsed.port() != defaultPort)
        origin += QLatin1Char(':') + QString::number(parsed.port());
    QString normalized = origin + url.mid(hostEnd);
    if (normalized.endsWith(QLatin1Char('/')))
        normalized.chop(1);
    return normalized;
}

} // namespace tf::emu
