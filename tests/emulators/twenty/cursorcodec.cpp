#include "twenty/cursorcodec.h"

#include "twenty/apierror.h"

#include <QJsonDocument>

namespace tf::emu {

QString CursorCodec::encode(const OrderedJsonObject &values)
{
    return QString::fromLatin1(values.toJson().toBase64());
}

QJsonObject CursorCodec::decode(const QString &cursor)
{
    const auto invalid = [&] { return ApiError::badRequest(QStringLiteral("Invalid cursor: %1").arg(cursor)); };
    const QByteArray::FromBase64Result bytes =
        QByteArray::fromBase64Encoding(cursor.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes || cursor.isEmpty())
        throw invalid();
    const QJsonDocument json = QJsonDocument::fromJson(*bytes);
    if (!json.isObject())
        throw invalid();
    return json.object();
}

} // namespace tf::emu
