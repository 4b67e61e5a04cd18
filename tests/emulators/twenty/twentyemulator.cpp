#include "twenty/twentyemulator.h"

#include "twenty/apierror.h"
#include "twenty/recordpresenter.h"
#include "twenty/standardobjects.h"

#include <QJsonDocument>
#include <QTextStream>

namespace tf::emu {

namespace {

HttpResponse adminAnswer(int status, const QJsonObject &body)
{
    return HttpResponse::json(status, body);
}

QJsonObject adminBody(const HttpRequest &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

} // namespace

TwentyEmulator::TwentyEmulator(EmulatorSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_keys(m_settings.apiKeys)
    , m_limiter(m_settings.shortWindow, m_settings.longWindow, m_settings.rateLimitStyle, m_clock)
    , m_workspace(m_clock.nowText())
    , m_dispatcher(m_webhooks, m_clock, StandardObjects::workspaceId())
    , m_dataFile(m_settings.dataFile)
    , m_core(m_workspace, m_settings, m_limiter)
    , m_metadata(m_workspace)
    , m_webhookApi(m_webhooks)
{
}

bool TwentyEmulator::loadData(QString *error)
{
    return !m_dataFile.enabled() || m_dataFile.load(m_workspace, m_webhooks, error);
}

HttpResponse TwentyEmulator::handle(const HttpRequest &request)
{
    if (request.path.startsWith(QLatin1String("/__emulator/")))
        return admin(request);
    try {
        if (request.path != QLatin1String("/rest") && !request.path.startsWith(QLatin1String("/rest/")))
            throw ApiError::notFound(QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(request.method), request.path));
        return rest(request);
    } catch (const ApiError &error) {
        return error.toResponse();
    }
}

HttpResponse TwentyEmulator::rest(const HttpRequest &request)
{
    const ApiKey &key = m_keys.authenticate(request);
    const RequestContext context{m_clock.nowText(), key.name};
    const QString path = request.path.mid(int(qstrlen("/rest")));
    const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool writes = request.method != "GET" && request.method != "HEAD";

    HttpResponse response;
    if (path.startsWith(QLatin1String("/metadata/webhooks")) || path.startsWith(QLatin1String("/webhooks"))) {
        const qsizetype idAt = segments.first() == QLatin1String("metadata") ? 2 : 1;
        if (segments.size() > idAt + 1)
            throw ApiError::notFound(QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(request.method), request.path));
        response = m_webhookApi.handle(request, segments.value(idAt), context.now);
    } else if (path.startsWith(QLatin1String("/metadata/"))) {
        response = m_metadata.handle(request, path.mid(int(qstrlen("/metadata"))), context.now);
    } else if (path.startsWith(QLatin1String("/open-api"))) {
        throw ApiError::notImplemented(QStringLiteral("/rest/open-api"));
    } else {
        const Workspace::Snapshot before = m_workspace.snapshot();
        QList<RecordEvent> events;
        try {
            response = m_core.handle(request, path, key, context, &events);
        } catch (const ApiError &) {
            m_workspace.restore(before); // a request writes all of it or nothing (§3.5)
            throw;
        }
        announce(events);
    }
    if (writes)
        persist();
    return response;
}

void TwentyEmulator::announce(const QList<RecordEvent> &events)
{
    for (const RecordEvent &event : events) {
        const ObjectSchema *schema = m_workspace.metadata().objectBySingular(event.objectSingular);
        const RecordPresenter presenter(m_workspace, *schema, m_settings.emptyText);
        m_dispatcher.dispatch(event, schema->id(), presenter.present(event.record));
    }
}

void TwentyEmulator::persist()
{
    QString error;
    if (m_dataFile.enabled() && !m_dataFile.save(m_workspace, m_webhooks, &error))
        QTextStream(stderr) << error << Qt::endl;
}

HttpResponse TwentyEmulator::admin(const HttpRequest &request)
{
    const QString name = request.path.mid(int(qstrlen("/__emulator/")));
    if (name == QLatin1String("reset") && request.method == "POST") {
        m_workspace.reset();
        m_webhooks.reset();
        m_limiter.reset();
        m_dispatcher.clearDeliveries();
        persist();
        return adminAnswer(200, {{QStringLiteral("reset"), true}});
    }
    if (name == QLatin1String("clock")) {
        QString error;
        if (request.method == "POST" && !m_clock.configure(adminBody(request), &error))
            return adminAnswer(400, {{QStringLiteral("error"), error}});
        return adminAnswer(200, m_clock.toJson());
    }
    if (name == QLatin1String("rate-limit")) {
        if (request.method == "POST")
            m_limiter.reset();
        return adminAnswer(200, m_limiter.toJson());
    }
    if (name == QLatin1String("webhook-deliveries")) {
        const QJsonArray deliveries = m_dispatcher.deliveries();
        if (request.method == "DELETE")
            m_dispatcher.clearDeliveries();
        return HttpResponse::json(200, QJsonDocument(deliveries));
    }
    return adminAnswer(404, {{QStringLiteral("error"), QStringLiteral("no admin endpoint %1 %2")
                                                           .arg(QString::fromLatin1(request.method), request.path)}});
}

HttpResponse TwentyEmulator::injectedError(int status) const
{
    switch (status) {
    case 429: {
        // As if the long bucket had just run dry.
        const QString spender = m_keys.keys().value(0).id;
        return RateLimiter::rejection(TokenBucket(m_settings.longWindow), m_settings.rateLimitStyle, spender, m_clock.nowMs())
            .toResponse();
    }
    case 403:
        // The one 403 body twenty-rest.md §5 documents (testdata/spec-5-error-403.json): Twenty answers it before any
        // record is touched, so a refused batch writes nothing.
        return ApiError(403, QStringLiteral("FORBIDDEN_EXCEPTION"), QStringLiteral("Missing authentication token"))
            .toResponse();
    case 500:
        return ApiError(500, QStringLiteral("InternalServerErrorException"), QStringLiteral("Internal server error")).toResponse();
    case 503:
        return ApiError(503, QStringLiteral("ServiceUnavailableException"), QStringLiteral("Service Unavailable")).toResponse();
    default:
        return ApiError(status, QStringLiteral("HttpException"), QStringLiteral("Injected fault %1").arg(status)).toResponse();
    }
}

} // namespace tf::emu
