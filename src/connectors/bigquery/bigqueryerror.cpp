#include "connectors/bigquery/bigqueryerror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

namespace {

QString snippet(const QByteArray &body)
{
    constexpr int kLength = 160;
    QString text = QString::fromUtf8(body.left(kLength * 4)).simplified();
    if (text.isEmpty())
        return QStringLiteral("(empty body)");
    if (text.size() > kLength)
        text = text.left(kLength) + QStringLiteral("…");
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

bool retryableStatus(int status)
{
    return status == 0 || status == 408 || status == 429 || status == 500 || status == 502 || status == 503
        || status == 504;
}

bool retryableReason(const QString &reason)
{
    return reason == QLatin1String("rateLimitExceeded") || reason == QLatin1String("backendError")
        || reason == QLatin1String("internalError");
}

const QStringList &dmlConflictMessages()
{
    static const QStringList messages{QStringLiteral("Could not serialize access"),
                                      QStringLiteral("Transaction is aborted due to concurrent update"),
                                      QStringLiteral("Too many DML statements outstanding")};
    return messages;
}

} // namespace

BigQueryError BigQueryError::fromReply(const HttpReply &reply)
{
    BigQueryError error;
    error.status = reply.status;
    error.timedOut = reply.timedOut;
    if (!reply.answered()) {
        error.message = reply.networkError;
        return error;
    }
    const QJsonObject envelope = QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("error")).toObject();
    if (envelope.isEmpty()) {
        error.message = QStringLiteral("answer is not a BigQuery error envelope: %1").arg(snippet(reply.body));
        return error;
    }
    const QJsonObject first = envelope.value(QStringLiteral("errors")).toArray().first().toObject();
    error.reason = first.value(QStringLiteral("reason")).toString();
    error.message = envelope.value(QStringLiteral("message")).toString();
    if (error.message.isEmpty())
        error.message = first.value(QStringLiteral("message")).toString();
    return error;
}

bool BigQueryError::retryableRequest(const HttpReply &reply)
{
    if (retryableStatus(reply.status))
        return true;
    return !reply.ok() && retryableReason(fromReply(reply).reason);
}

bool BigQueryError::retryableJob() const
{
    if (reason == QLatin1String("jobRateLimitExceeded") || reason == QLatin1String("jobBackendError")
        || reason == QLatin1String("jobInternalError"))
        return true;
    for (const QString &conflict : dmlConflictMessages()) {
        if (message.contains(conflict, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString BigQueryError::summary() const
{
    if (status == 0)
        return QStringLiteral("no answer: %1").arg(message);
    return reason.isEmpty() ? QStringLiteral("%1 %2").arg(status).arg(message)
                            : QStringLiteral("%1 %2: %3").arg(QString::number(status), reason, message);
}

ConnectorError BigQueryError::toConnectorError(const QString &request, const QString &target, int attempts) const
{
    ConnectorError::Kind kind = ConnectorError::Kind::Rejected;
    QString hint;
    if (status == 0) {
        kind = timedOut ? ConnectorError::Kind::Transient : ConnectorError::Kind::Unreachable;
    } else if (status == 401 || reason == QLatin1String("accessDenied")) {
        kind = ConnectorError::Kind::Authentication;
        hint = status == 401 ? QStringLiteral("the access token was refused")
                             : QStringLiteral("the service account lacks a BigQuery role for this");
    } else if (reason == QLatin1String("notFound") || status == 404) {
        kind = ConnectorError::Kind::Schema;
        hint = QStringLiteral("run `tfsync provision`, or check project, dataset, table and location");
    } else if (reason == QLatin1String("quotaExceeded")) {
        kind = ConnectorError::Kind::Transient;
        hint = QStringLiteral("a quota is used up; BigQuery advises waiting ten minutes or longer");
    } else if (retryableStatus(status) || retryableReason(reason) || retryableJob()) {
        kind = ConnectorError::Kind::Transient;
    } else if (status < 400 || status >= 600) {
        kind = ConnectorError::Kind::Internal;
    }
    QString text = QStringLiteral("%1 (%2): %3").arg(request, target, summary());
    if (attempts > 1)
        text += QStringLiteral(" [after %1 attempts]").arg(attempts);
    if (!hint.isEmpty())
        text += QStringLiteral(" (%1)").arg(hint);
    return ConnectorError(Layer::BigQuery, kind, text);
}

} // namespace tf
