#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QUrlQuery>
#include <functional>

namespace tf::emu {

struct HttpRequest {
    QByteArray method;     // "GET", "POST", ...
    QString path;          // decoded path without the query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    QHostAddress peer;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    // Query values decoded fully ("+" is not a space in Google's or Twenty's URLs: they are percent-encoded).
    QString queryValue(const QString &key) const { return query.queryItemValue(key, QUrl::FullyDecoded); }
};

struct HttpResponse {
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json; charset=UTF-8";
    QList<QPair<QByteArray, QByteArray>> headers;

    // Long-poll support: when set, the server answers with deferred() after deferMs instead of this response.
    int deferMs = 0;
    std::function<HttpResponse()> deferred;

    static HttpResponse json(int status, const QJsonDocument &document);
    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse empty(int status);
    static HttpResponse later(int delayMs, std::function<HttpResponse()> produce);
    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value);
};

} // namespace tf::emu
