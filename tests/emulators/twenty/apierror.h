#pragma once

#include "common/httpmessage.h"

#include <QJsonObject>
#include <QString>

namespace tf::emu {

// An error answer in Twenty's REST shape (twenty-rest.md §5): {"statusCode", "error", "messages": [...]}, plus the
// optional "code" newer senders add and the extra keys of a 429. Thrown anywhere below the router and turned into
// the HTTP answer in one place.
class ApiError
{
public:
    ApiError(int status, QString error, QString message);

    static ApiError badRequest(const QString &message);
    static ApiError notFound(const QString &message = QStringLiteral("Record not found"));
    static ApiError notImplemented(const QString &what);

    ApiError &withCode(const QString &code);
    ApiError &withExtra(const QJsonObject &extra);
    ApiError &withHeader(const QByteArray &name, const QByteArray &value);

    int status() const { return m_status; }
    const QString &message() const { return m_message; }
    HttpResponse toResponse() const;

private:
    int m_status;
    QString m_error;
    QString m_message;
    QString m_code;
    QJsonObject m_extra;
    QList<QPair<QByteArray, QByteArray>> m_headers;
};

} // namespace tf::emu
