#include "common/httpmessage.h"

#include <QJsonObject>

namespace tf::emu {

HttpResponse HttpResponse::json(int status, const QJsonDocument &document)
{
    HttpResponse response;
    response.status = status;
    response.body = document.toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    return json(status, QJsonDocument(object));
}

HttpResponse HttpResponse::empty(int status)
{
    HttpResponse response;
    response.status = status;
    response.contentType.clear();
    return response;
}

HttpResponse HttpResponse::later(int delayMs, std::function<HttpResponse()> produce)
{
    HttpResponse response;
    response.deferMs = delayMs;
    response.deferred = std::move(produce);
    return response;
}

HttpResponse &HttpResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

} // namespace tf::emu
