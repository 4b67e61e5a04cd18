#include "twenty/apierror.h"

#include <QJsonArray>

namespace tf::emu {

ApiError::ApiError(int status, QString error, QString message)
    : m_status(status)
    , m_error(std::move(error))
    , m_message(std::move(message))
{
}

ApiError ApiError::badRequest(const QString &message)
{
    return ApiError(400, QStringLiteral("BadRequestException"), message);
}

ApiError ApiError::notFound(const QString &message)
{
    return ApiError(404, QStringLiteral("NotFoundException"), message);
}

ApiError ApiError::notImplemented(const QString &what)
{
    return ApiError(501, QStringLiteral("NotImplementedException"),
                    QStringLiteral("%1 is not implemented by tf-twenty-emulator").arg(what));
}

ApiError &ApiError::withCode(const QString &code)
{
    m_code = code;
    return *this;
}

ApiError &ApiError::withExtra(const QJsonObject &extra)
{
    for (auto it = extra.begin(); it != extra.end(); ++it)
        m_extra.insert(it.key(), it.value());
    return *this;
}

ApiError &ApiError::withHeader(const QByteArray &name, const QByteArray &value)
{
    m_headers.append({name, value});
    return *this;
}

HttpResponse ApiError::toResponse() const
{
    QJsonObject body = m_extra;
    body.insert(QStringLiteral("statusCode"), m_status);
    body.insert(QStringLiteral("error"), m_error);
    body.insert(QStringLiteral("messages"), QJsonArray{m_message});
    if (!m_code.isEmpty())
        body.insert(QStringLiteral("code"), m_code);
    HttpResponse response = HttpResponse::json(m_status, body);
    response.headers = m_headers;
    return response;
}

} // namespace tf::emu
