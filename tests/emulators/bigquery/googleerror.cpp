#include "bigquery/googleerror.h"

#include <QJsonArray>

namespace tf::emu {

GoogleError::GoogleError(int httpStatus, QString reason, QString message, QString location, QString locationType)
    : m_httpStatus(httpStatus)
    , m_reason(std::move(reason))
    , m_message(std::move(message))
    , m_location(std::move(location))
    , m_locationType(std::move(locationType))
    , m_utf8(m_message.toUtf8())
{
}

GoogleError GoogleError::notFound(const QString &message)
{
    return GoogleError(404, QStringLiteral("notFound"), message);
}

GoogleError GoogleError::duplicate(const QString &message)
{
    return GoogleError(409, QStringLiteral("duplicate"), message);
}

GoogleError GoogleError::invalid(const QString &message)
{
    return GoogleError(400, QStringLiteral("invalid"), message);
}

GoogleError GoogleError::badRequest(const QString &message)
{
    return GoogleError(400, QStringLiteral("badRequest"), message);
}

GoogleError GoogleError::invalidQuery(const QString &message)
{
    return GoogleError(400, QStringLiteral("invalidQuery"), message, QStringLiteral("query"), QStringLiteral("other"));
}

GoogleError GoogleError::resourcesExceeded(const QString &message)
{
    return GoogleError(400, QStringLiteral("resourcesExceeded"), message);
}

GoogleError GoogleError::internalError(const QString &message)
{
    return GoogleError(500, QStringLiteral("internalError"), message);
}

GoogleError GoogleError::forInjectedStatus(int httpStatus)
{
    switch (httpStatus) {
    case 429:
    case 403:
        return GoogleError(httpStatus, QStringLiteral("rateLimitExceeded"),
                           QStringLiteral("Exceeded rate limits: too many api requests per user per method for this "
                                          "user_method. For more information, see "
                                          "https://cloud.google.com/bigquery/docs/troubleshoot-quotas"));
    case 500:
    case 502:
        return GoogleError(httpStatus, QStringLiteral("backendError"), QStringLiteral("Backend error. Job aborted."));
    case 503:
        return GoogleError(httpStatus, QStringLiteral("backendError"),
                           QStringLiteral("The service is currently unavailable."));
    case 504:
        return GoogleError(httpStatus, QStringLiteral("backendError"), QStringLiteral("Deadline exceeded."));
    case 401:
        return GoogleError(401, QStringLiteral("authError"), QStringLiteral("Invalid Credentials"));
    case 404:
        return notFound(QStringLiteral("Not found"));
    default:
        return GoogleError(httpStatus, httpStatus >= 500 ? QStringLiteral("backendError") : QStringLiteral("invalid"),
                           QStringLiteral("Injected HTTP %1").arg(httpStatus));
    }
}

QString GoogleError::statusName(int httpStatus)
{
    switch (httpStatus) {
    case 400:
        return QStringLiteral("INVALID_ARGUMENT");
    case 401:
        return QStringLiteral("UNAUTHENTICATED");
    case 403:
        return QStringLiteral("PERMISSION_DENIED");
    case 404:
        return QStringLiteral("NOT_FOUND");
    case 409:
        return QStringLiteral("ALREADY_EXISTS");
    case 413:
        return QStringLiteral("INVALID_ARGUMENT");
    case 429:
        return QStringLiteral("RESOURCE_EXHAUSTED");
    case 501:
        return QStringLiteral("UNIMPLEMENTED");
    case 503:
        return QStringLiteral("UNAVAILABLE");
    case 504:
        return QStringLiteral("DEADLINE_EXCEEDED");
    default:
        return httpStatus >= 500 ? QStringLiteral("INTERNAL") : QStringLiteral("FAILED_PRECONDITION");
    }
}

GoogleError &GoogleError::withSummary(const QString &summary)
{
    m_summary = summary;
    return *this;
}

QJsonObject GoogleError::errorProto() const
{
    QJsonObject proto{{QStringLiteral("message"), m_message},
                      {QStringLiteral("domain"), QStringLiteral("global")},
                      {QStringLiteral("reason"), m_reason}};
    if (!m_location.isEmpty())
        proto.insert(QStringLiteral("location"), m_location);
    if (!m_locationType.isEmpty())
        proto.insert(QStringLiteral("locationType"), m_locationType);
    return proto;
}

QJsonObject GoogleError::envelope() const
{
    return QJsonObject{{QStringLiteral("error"),
                        QJsonObject{{QStringLiteral("code"), m_httpStatus},
                                    {QStringLiteral("message"), m_summary.isEmpty() ? m_message : m_summary},
                                    {QStringLiteral("errors"), QJsonArray{errorProto()}},
                                    {QStringLiteral("status"), statusName(m_httpStatus)}}}};
}

HttpResponse GoogleError::response() const
{
    return HttpResponse::json(m_httpStatus, envelope());
}

} // namespace tf::emu
