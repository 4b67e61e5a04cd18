#include "bigquery/bigqueryemulator.h"

#include "bigquery/googleerror.h"

#include <QJsonDocument>

namespace tf::emu {

BigQueryEmulator::BigQueryEmulator(BigQueryEmulatorSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_database(m_settings.dataFile)
    , m_catalog(m_database)
    , m_engine(m_database, m_catalog)
    , m_buffer(m_settings.streamingBufferMs)
    , m_jobsApi(m_engine, m_jobs, m_dml, m_settings)
    , m_tableData(m_database, m_catalog, m_buffer)
    , m_resources(m_catalog, m_buffer)
{
    // DML that changes existing rows fails while the table has a streaming buffer (§2.3). A WHERE cannot steer clear of
    // it: the buffer of an unpartitioned table cannot be pruned, so BigQuery refuses any such statement until the buffer
    // is empty. The message names the table as project.dataset.table.
    m_engine.setMutationGuard([this](const TableInfo &table, bool truncate) {
        if (!m_buffer.state(table.id(), JobsApi::nowMs()))
            return;
        throw GoogleError::invalidQuery(
            QStringLiteral("%1 over table %2 would affect rows in the streaming buffer, which is not supported")
                .arg(truncate ? QStringLiteral("TRUNCATE DML statement") : QStringLiteral("UPDATE or DELETE statement"), table.dottedName()));
    });
    // Jobs run when they are due even if nobody asks about them.
    m_settleTimer.setSingleShot(true);
    m_settleTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_settleTimer, &QTimer::timeout, this, [this] {
        m_jobsApi.settle();
        scheduleSettle();
    });
}

bool BigQueryEmulator::open(QString *error)
{
    if (!m_database.open(error))
        return false;
    try {
        m_catalog.load();
    } catch (const GoogleError &failure) {
        *error = QStringLiteral("cannot read the catalog of %1: %2").arg(m_settings.dataFile, failure.message());
        return false;
    }
    return m_settings.tokenPublicKeyFile.isEmpty() || m_tokens.loadPublicKey(m_settings.tokenPublicKeyFile, error);
}

void BigQueryEmulator::scheduleSettle()
{
    const std::optional<qint64> next = m_jobsApi.nextReadyAt();
    if (!next) {
        m_settleTimer.stop();
        return;
    }
    m_settleTimer.start(int(std::clamp<qint64>(*next - JobsApi::nowMs() + 1, 0, 24 * 3600 * 1000)));
}

HttpResponse BigQueryEmulator::injectedError(int status) const
{
    return GoogleError::forInjectedStatus(status).response();
}

HttpResponse BigQueryEmulator::handle(const HttpRequest &request)
{
    HttpResponse response;
    try {
        response = route(request);
    } catch (const GoogleError &error) {
        response = error.response();
    }
    scheduleSettle();
    if (response.deferred) {
        // The long poll's answer is produced later; it gets its Date then, and the settle timer is re-armed.
        const std::function<HttpResponse()> produce = response.deferred;
        response.deferred = [this, produce] {
            HttpResponse later = produce();
            scheduleSettle();
            return later;
        };
        return response;
    }
    return response;
}

HttpResponse BigQueryEmulator::route(const HttpRequest &request)
{
    if (request.path.startsWith(QLatin1String("/__emulator/")))
        return admin(request);
    if (request.method == "POST" && request.path == QLatin1String("/token"))
        return m_tokens.exchange(request);
    QString path = request.path;
    if (path.startsWith(QLatin1String("/bigquery/v2/")))
        path = path.mid(12);
    QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() < 2 || parts.first() != QLatin1String("projects"))
        throw GoogleError::notFound(QStringLiteral("Not found: URL %1").arg(request.path));
    if (std::optional<HttpResponse> refused = m_tokens.check(request))
        return *refused;
    parts.removeFirst();
    return api(request, parts);
}

HttpResponse BigQueryEmulator::api(const HttpRequest &request, const QStringList &path)
{
    const QByteArray &method = request.method;
    const QString &project = path.at(0);
    const qsizetype n = path.size();
    const auto is = [&](qsizetype index, const char *segment) { return index < n && path.at(index) == QLatin1String(segment); };
    if (n == 2 && is(1, "queries") && method == "POST")
        return m_jobsApi.query(request, project);
    if (n == 3 && is(1, "queries") && method == "GET")
        return m_jobsApi.getQueryResults(request, project, path.at(2));
    if (n == 2 && is(1, "jobs") && method == "POST")
        return m_jobsApi.insert(request, project);
    if (n == 3 && is(1, "jobs") && method == "GET")
        return m_jobsApi.get(request, project, path.at(2));
    if (n == 2 && is(1, "datasets") && method == "POST")
        return m_resources.insertDataset(request, project);
    if (n == 3 && is(1, "datasets")) {
        if (method == "GET")
            return m_resources.getDataset(request, project, path.at(2));
        if (method == "DELETE")
            return m_resources.deleteDataset(request, project, path.at(2));
    }
    if (n == 4 && is(1, "datasets") && is(3, "tables") && method == "POST")
        return m_resources.insertTable(request, project, path.at(2));
    if (n == 5 && is(1, "datasets") && is(3, "tables")) {
        if (method == "GET")
            return m_resources.getTable(request, project, path.at(2), path.at(4));
        if (method == "DELETE")
            return m_resources.deleteTable(project, path.at(2), path.at(4));
    }
    if (n == 6 && is(1, "datasets") && is(3, "tables")) {
        if (is(5, "insertAll") && method == "POST")
            return m_tableData.insertAll(request, project, path.at(2), path.at(4));
        if (is(5, "data") && method == "GET")
            return m_tableData.list(request, project, path.at(2), path.at(4));
    }
    throw GoogleError::notFound(QStringLiteral("Not found: %1 %2").arg(QString::fromLatin1(method), request.path));
}

QJsonObject BigQueryEmulator::settingsJson() const
{
    return QJsonObject{{QStringLiteral("streamingBufferSeconds"), double(m_buffer.ageMs()) / 1000.0},
                       {QStringLiteral("queryDelayMs"), m_settings.queryDelayMs},
                       {QStringLiteral("dmlDurationMs"), m_settings.dmlDuration()},
                       {QStringLiteral("tokens"), m_tokens.enabled()},
                       {QStringLiteral("dataFile"), m_settings.dataFile}};
}

HttpResponse BigQueryEmulator::admin(const HttpRequest &request)
{
    const QString name = request.path.mid(QStringLiteral("/__emulator/").size());
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (name == QLatin1String("settings") && request.method == "GET")
        return HttpResponse::json(200, settingsJson());
    if (request.method != "POST")
        throw GoogleError::notFound(QStringLiteral("Not found: %1 %2").arg(QString::fromLatin1(request.method), request.path));
    if (name == QLatin1String("reset")) {
        m_catalog.clear();
        m_jobs.clear();
        m_dml.clear();
        m_buffer.clear();
        return HttpResponse::json(200, settingsJson());
    }
    if (name == QLatin1String("streaming-buffer")) {
        if (!body.value(QStringLiteral("ageSeconds")).isDouble())
            throw GoogleError::invalid(QStringLiteral("streaming-buffer needs {\"ageSeconds\": number}"));
        m_settings.streamingBufferMs = qint64(body.value(QStringLiteral("ageSeconds")).toDouble() * 1000.0);
        m_buffer.setAgeMs(m_settings.streamingBufferMs);
        return HttpResponse::json(200, settingsJson());
    }
    if (name == QLatin1String("streaming-buffer/flush")) {
        m_buffer.flush();
        return HttpResponse::json(200, settingsJson());
    }
    if (name == QLatin1String("query-delay")) {
        if (body.contains(QStringLiteral("ms")))
            m_settings.queryDelayMs = qint64(body.value(QStringLiteral("ms")).toDouble());
        if (body.contains(QStringLiteral("dmlDurationMs"))) {
            const QJsonValue duration = body.value(QStringLiteral("dmlDurationMs"));
            m_settings.dmlDurationMs = duration.isNull() ? std::nullopt : std::optional<qint64>(qint64(duration.toDouble()));
        }
        return HttpResponse::json(200, settingsJson());
    }
    throw GoogleError::notFound(QStringLiteral("Not found: %1 %2").arg(QString::fromLatin1(request.method), request.path));
}

} // namespace tf::emu
