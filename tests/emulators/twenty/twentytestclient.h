#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QUrl>

namespace tf::test {

struct TwentyReply {
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QJsonValue json;

    QJsonObject object() const { return json.toObject(); }
    QJsonObject data() const { return object().value(QStringLiteral("data")).toObject(); }
    QString message() const; // messages[0]
    QString describe() const; // status and body, for failure messages
};

// A plain HTTP client for tf-twenty-emulator's conformance suites: QNetworkAccessManager, synchronous, the API key as
// a Bearer header (or none), paths and queries sent exactly as written.
class TwentyTestClient
{
public:
    TwentyTestClient(QUrl base, QByteArray apiKey);

    void setApiKey(const QByteArray &apiKey) { m_apiKey = apiKey; } // empty: no Authorization header

    TwentyReply send(const QByteArray &method, const QString &pathAndQuery, const QJsonValue &body = QJsonValue::Undefined);
    TwentyReply sendRaw(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body);
    TwentyReply get(const QString &pathAndQuery) { return send("GET", pathAndQuery); }
    TwentyReply post(const QString &pathAndQuery, const QJsonValue &body) { return send("POST", pathAndQuery, body); }
    TwentyReply patch(const QString &pathAndQuery, const QJsonValue &body) { return send("PATCH", pathAndQuery, body); }
    TwentyReply del(const QString &pathAndQuery) { return send("DELETE", pathAndQuery); }

    // "?key=value&..." with every value percent-encoded.
    static QString query(const QList<QPair<QString, QString>> &items);

    // A verbatim example of specs/twenty-rest.md kept in tests/emulators/twenty/testdata/ (see its README).
    static QByteArray specExample(const QString &fileName);

    // An emulator admin switch (/__emulator/<name>).
    QJsonValue admin(const QByteArray &method, const QString &name, const QJsonObject &body = {});

private:
    QUrl m_base;
    QByteArray m_apiKey;
    QNetworkAccessManager m_network;
};

} // namespace tf::test
