#include "support/emulatoradmin.h"

#include "support/httpcall.h"

#include <QJsonDocument>

namespace tf::test {

EmulatorAdmin::EmulatorAdmin(QUrl baseUrl)
    : m_baseUrl(std::move(baseUrl))
{
}

QByteArray EmulatorAdmin::raw(const QByteArray &method, const QString &path, const QByteArray &body)
{
    return httpCall(method, m_baseUrl.resolved(QUrl(QStringLiteral("/__emulator/") + path)), body, {}, 10000).body;
}

QJsonObject EmulatorAdmin::call(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    return QJsonDocument::fromJson(raw(method, path, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson()))
        .object();
}

bool EmulatorAdmin::setFaults(const QJsonObject &plan)
{
    return !raw("POST", QStringLiteral("faults"), QJsonDocument(plan).toJson()).isEmpty();
}

QJsonObject EmulatorAdmin::faults()
{
    return call("GET", QStringLiteral("faults"));
}

QJsonArray EmulatorAdmin::requests()
{
    return QJsonDocument::fromJson(raw("GET", QStringLiteral("requests"), {})).array();
}

void EmulatorAdmin::clearRequests()
{
    raw("DELETE", QStringLiteral("requests"), {});
}

int EmulatorAdmin::countRequests(const QByteArray &method, const QString &pathContains)
{
    int count = 0;
    for (const QJsonValue &value : requests()) {
        const QJsonObject request = value.toObject();
        count += (method.isEmpty() || request.value(QStringLiteral("method")).toString().toLatin1() == method)
            && request.value(QStringLiteral("path")).toString().contains(pathContains);
    }
    return count;
}

} // namespace tf::test
