#include "twenty/webhookapi.h"

#include "twenty/apierror.h"
#include "twenty/webhookregistry.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf::emu {

namespace {

QJsonObject parseBody(const HttpRequest &request)
{
    const QJsonDocument body = QJsonDocument::fromJson(request.body);
    if (!body.isObject())
        throw ApiError::badRequest(QStringLiteral("Body must be a JSON object"));
    return body.object();
}

} // namespace

WebhookApi::WebhookApi(WebhookRegistry &registry)
    : m_registry(registry)
{
}

HttpResponse WebhookApi::handle(const HttpRequest &request, const QString &id, const QString &now)
{
    if (id.isEmpty()) {
        if (request.method == "GET")
            return HttpResponse::json(200, QJsonDocument(m_registry.toJson()));
        if (request.method == "POST")
            return HttpResponse::json(201, m_registry.create(parseBody(request), now));
    } else {
        if (request.method == "GET")
            return HttpResponse::json(200, m_registry.find(id));
        if (request.method == "PATCH")
            return HttpResponse::json(200, m_registry.update(id, parseBody(request), now));
        if (request.method == "DELETE") {
            m_registry.remove(id);
            HttpResponse response;
            response.body = "true";
            return response;
        }
    }
    throw ApiError::notFound(QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(request.method), request.path));
}

} // namespace tf::emu
