#include "bigquery/pagetoken.h"

#include <QCryptographicHash>

namespace tf::emu {

namespace {

QByteArray tag(const QString &owner)
{
    return QCryptographicHash::hash(owner.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
}

} // namespace

QString PageToken::encode(const QString &owner, qint64 offset)
{
    return QString::fromLatin1((tag(owner) + ':' + QByteArray::number(offset))
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<qint64> PageToken::decode(const QString &token, const QString &owner)
{
    const QByteArray text = QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const qsizetype colon = text.indexOf(':');
    if (colon < 0 || text.left(colon) != tag(owner))
        return std::nullopt;
    bool ok = false;
    const qint64 offset = text.mid(colon + 1).toLongLong(&ok);
    if (!ok || offset < 0)
        return std::nullopt;
    return offset;
}

} // namespace tf::emu
