#pragma once

#include <QByteArray>
#include <QUrl>

namespace tf::test {

// One blocking HTTP exchange for test code that talks to the stand-ins from outside (an editor, an admin call, a
// reader): its own QNetworkAccessManager, JSON content type, an optional bearer key. status 0 = no answer in time.
struct HttpAnswer {
    int status = 0;
    QByteArray body;
};

HttpAnswer httpCall(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                    const QByteArray &bearer = {}, int timeoutMs = 20000);

} // namespace tf::test
