#include "common/emulatorserver.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QLocale>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

namespace tf::emu {

namespace {

constexpr int kMaxRecordedRequests = 20000;

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

HttpRequest toHttpRequest(const QHttpServerRequest &request)
{
    HttpRequest result;
    result.method = methodName(request.method());
    result.path = request.url().path(QUrl::FullyDecoded);
    result.query = request.query();
    for (const auto &[name, value] : request.headers())
        result.headers.insert(name.toLower(), value);
    result.body = request.body();
    result.peer = request.remoteAddress();
    return result;
}

} // namespace

EmulatorServer::EmulatorServer(Handler handler, ErrorFormatter errorFormatter, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
    , m_errorFormatter(std::move(errorFormatter))
{
}

bool EmulatorServer::listenOnLoopback(quint16 port, QString *error)
{
    auto *server = new QTcpServer(this);
    if (!server->listen(QHostAddress::LocalHost, port)) {
        *error = server->errorString();
        delete server;
        return false;
    }
    bind(server);
    m_port = server->serverPort();
    QTextStream(stdout) << "listening on http://127.0.0.1:" << m_port << Qt::endl;
    return true;
}

void EmulatorServer::addCommonOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("port"), QStringLiteral("TCP port on 127.0.0.1 (0 = any free port)."),
                      QStringLiteral("port"), QStringLiteral("0")});
    FaultInjector::addOptions(parser);
}

bool EmulatorServer::startFromOptions(const QCommandLineParser &parser)
{
    bool ok = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535) {
        QTextStream(stderr) << "--port: '" << parser.value(QStringLiteral("port")) << "' is not a port number\n";
        return false;
    }
    m_faults.applyOptions(parser);
    QString error;
    if (!listenOnLoopback(quint16(port), &error)) {
        QTextStream(stderr) << "cannot listen on 127.0.0.1:" << port << ": " << error << "\n";
        return false;
    }
    return true;
}

std::optional<HttpResponse> EmulatorServer::handleAdmin(const HttpRequest &request)
{
    if (request.path == QLatin1String("/__emulator/faults")) {
        if (request.method == "POST") {
            QJsonParseError parseError;
            const QJsonDocument plan = QJsonDocument::fromJson(request.body, &parseError);
            if (!plan.isObject()) {
                return HttpResponse::json(400, QJsonObject{{QStringLiteral("error"),
                                                            QStringLiteral("fault plan is not a JSON object: ")
                                                                + parseError.errorString()}});
            }
            m_faults.configure(plan.object());
        }
        return HttpResponse::json(200, m_faults.toJson());
    }
    if (request.path == QLatin1String("/__emulator/requests")) {
        if (request.method == "DELETE")
            m_requests = QJsonArray();
        return HttpResponse::json(200, QJsonDocument(m_requests));
    }
    return std::nullopt;
}

bool EmulatorServer::handleRequest(const QHttpServerRequest &qtRequest, QTcpSocket *socket)
{
    const HttpRequest request = toHttpRequest(qtRequest);
    if (request.path.startsWith(QLatin1String("/__emulator/"))) {
        if (std::optional<HttpResponse> admin = handleAdmin(request)) {
            write(socket, request, *admin);
            return true;
        }
        write(socket, request, m_handler(request));
        return true;
    }

    const Fault fault = m_faults.decide(request);
    switch (fault.kind) {
    case FaultKind::Drop:
        record(request, 0);
        socket->abort();
        return true;
    case FaultKind::Timeout:
        record(request, 0); // the socket stays open and silent until the client gives up
        return true;
    case FaultKind::Status:
        respond(socket, request, m_errorFormatter(fault.status), fault.latencyMs);
        return true;
    case FaultKind::LostResponse: {
        const HttpResponse committed = m_handler(request);
        record(request, committed.status);
        socket->abort();
        return true;
    }
    case FaultKind::Latency:
    case FaultKind::None:
        respond(socket, request, m_handler(request), fault.latencyMs);
        return true;
    }
    return true;
}

void EmulatorServer::missingHandler(const QHttpServerRequest &qtRequest, QTcpSocket *socket)
{
    write(socket, toHttpRequest(qtRequest), HttpResponse::empty(404));
}

void EmulatorServer::respond(QTcpSocket *socket, const HttpRequest &request, const HttpResponse &response,
                             int extraDelayMs)
{
    const int delay = extraDelayMs + response.deferMs;
    if (delay <= 0 && !response.deferred) {
        write(socket, request, response);
        return;
    }
    // The socket may be gone by the time the answer is ready (the client timed out): QPointer notices.
    QPointer<QTcpSocket> guarded(socket);
    // Precise: a long poll that ends early would answer jobComplete:false for a job due a moment later.
    QTimer::singleShot(delay, Qt::PreciseTimer, this, [this, guarded, request, response] {
        if (!guarded || guarded->state() != QAbstractSocket::ConnectedState)
            return;
        write(guarded, request, response.deferred ? response.deferred() : response);
    });
}

void EmulatorServer::write(QTcpSocket *socket, const HttpRequest &request, const HttpResponse &response)
{
    if (response.deferred) {
        respond(socket, request, response, 0);
        return;
    }
    record(request, response.status);
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    if (!response.contentType.isEmpty())
        head += "Content-Type: " + response.contentType + "\r\n";
    // Google's front end and Twenty's Express both date every answer (RFC 9110 §6.6.1); clients measure skew on it.
    head += "Date: "
        + QLocale::c()
              .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
              .toLatin1()
        + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    const bool close = request.header("connection").toLower() == "close";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    head += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    socket->write(head);
    if (request.method != "HEAD")
        socket->write(response.body);
    if (close)
        socket->disconnectFromHost();
}

void EmulatorServer::record(const HttpRequest &request, int status)
{
    if (request.path.startsWith(QLatin1String("/__emulator/")))
        return;
    if (m_requests.size() >= kMaxRecordedRequests)
        m_requests.removeFirst();
    m_requests.append(QJsonObject{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                                  {QStringLiteral("path"), request.path},
                                  {QStringLiteral("query"), request.query.toString(QUrl::FullyEncoded)},
                                  {QStringLiteral("status"), status},
                                  {QStringLiteral("userAgent"), QString::fromUtf8(request.header("user-agent"))},
                                  {QStringLiteral("receivedMs"), QDateTime::currentMSecsSinceEpoch()}});
}

} // namespace tf::emu
