#pragma once

#include "common/httpmessage.h"

#include <QJsonObject>
#include <QString>
#include <exception>

namespace tf::emu {

// A failure as BigQuery reports it (bigquery-rest.md §3.3): an HTTP status, a reason from the D-ERR table, a message,
// optionally a location. Thrown by everything behind the HTTP front; the front turns it into the error envelope, a job
// keeps it as status.errorResult.
class GoogleError : public std::exception
{
public:
    GoogleError(int httpStatus, QString reason, QString message, QString location = QString(),
                QString locationType = QString());

    static GoogleError notFound(const QString &message);
    static GoogleError duplicate(const QString &message);
    static GoogleError invalid(const QString &message);
    static GoogleError badRequest(const QString &message);
    // A query the SQL front end refuses (§3.3 sample: location "query", locationType "other").
    static GoogleError invalidQuery(const QString &message);
    static GoogleError resourcesExceeded(const QString &message);
    static GoogleError internalError(const QString &message);
    // What the fault injector imposes: 429/403 rateLimitExceeded, 5xx backendError (§3.3 reason table).
    static GoogleError forInjectedStatus(int httpStatus);

    // A top-level message that differs from errors[0].message (Google's 401s do that).
    GoogleError &withSummary(const QString &summary);

    int httpStatus() const { return m_httpStatus; }
    const QString &reason() const { return m_reason; }
    const QString &message() const { return m_message; }
    const char *what() const noexcept override { return m_utf8.constData(); }

    QJsonObject errorProto() const; // {message, domain, reason[, location, locationType]}
    QJsonObject envelope() const;   // {"error": {code, message, errors, status}}
    HttpResponse response() const;

    static QString statusName(int httpStatus); // the gRPC code name Google puts in "status"

private:
    int m_httpStatus;
    QString m_reason;
    QString m_message;
    QString m_location;
    QString m_locationType;
    QString m_summary;
    QByteArray m_utf8;
};

} // namespace tf::emu
