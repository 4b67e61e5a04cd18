#pragma once

#include "common/faultinjector.h"
#include "common/httpmessage.h"

#include <QAbstractHttpServer>
#include <QJsonArray>

class QCommandLineParser;

namespace tf::emu {

// The HTTP front both stand-ins share. It turns Qt's parsed request into an HttpRequest, asks the fault injector
// what should happen to it, calls the emulator's handler and writes the answer on the socket itself, which is what
// lets it answer late, never, or not at all after the handler has committed ("the response was lost").
//
// Admin endpoints (never subject to faults):
//   GET/POST /__emulator/faults     read or replace the fault plan (FaultInjector::configure)
//   GET      /__emulator/requests   the requests seen so far, oldest first: [{method, path, query, status}]
//   DELETE   /__emulator/requests   forget them
// Other /__emulator/ paths reach the emulator's handler (its own switches).
class EmulatorServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    // The service's own error body for an injected status (Google's envelope, Twenty's {statusCode, ...}).
    using ErrorFormatter = std::function<HttpResponse(int status)>;

    EmulatorServer(Handler handler, ErrorFormatter errorFormatter, QObject *parent = nullptr);

    // Listens on 127.0.0.1 only (port 0 picks a free one) and prints "listening on http://127.0.0.1:PORT".
    bool listenOnLoopback(quint16 port, QString *error);
    quint16 port() const { return m_port; }
    FaultInjector &faults() { return m_faults; }

    static void addCommonOptions(QCommandLineParser &parser); // --port and the fault switches
    // Applies the fault switches and listens on --port; prints the error and returns false when it cannot.
    bool startFromOptions(const QCommandLineParser &parser);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    std::optional<HttpResponse> handleAdmin(const HttpRequest &request);
    void respond(QTcpSocket *socket, const HttpRequest &request, const HttpResponse &response, int extraDelayMs);
    void write(QTcpSocket *socket, const HttpRequest &request, const HttpResponse &response);
    void record(const HttpRequest &request, int status);

    Handler m_handler;
    ErrorFormatter m_errorFormatter;
    FaultInjector m_faults;
    QJsonArray m_requests;
    quint16 m_port = 0;
};

} // namespace tf::emu
