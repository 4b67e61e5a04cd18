#include "twenty/coreapi.h"

#include "twenty/apierror.h"
#include "twenty/apikeyring.h"
#include "twenty/cursorcodec.h"
#include "twenty/ratelimiter.h"
#include "twenty/recordpager.h"
#include "twenty/recordpresenter.h"
#include "twenty/recordservice.h"
#include "twenty/uuids.h"
#include "twenty/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf::emu {

namespace {

QString capitalized(const QString &name)
{
    return name.isEmpty() ? name : name.at(0).toUpper() + name.mid(1);
}

HttpResponse envelope(int status, const QString &key, const QJsonValue &value)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("data"), QJsonObject{{key, value}}}});
}

// parse-depth-rest-request: 0 or 1 (§2.1).
int parseDepth(const HttpRequest &request)
{
    const QString text = request.queryValue(QStringLiteral("depth"));
    if (text.isEmpty())
        return 0;
    bool ok = false;
    const double depth = text.toDouble(&ok);
    if (!ok || (depth != 0 && depth != 1))
        throw ApiError::badRequest(QStringLiteral("'depth=%1' parameter invalid. Allowed values are 0, 1").arg(text));
    return int(depth);
}

// parse-limit-rest-request: a number (Number(x) in JavaScript), clamped to the maximum without complaint.
int parseLimit(const HttpRequest &request, const EmulatorSettings &settings)
{
    const QString text = request.queryValue(QStringLiteral("limit"));
    if (text.isEmpty())
        return settings.defaultLimit;
    bool ok = false;
    const double limit = text.trimmed().toDouble(&ok);
    if (!ok || limit < 0)
        throw ApiError::badRequest(QStringLiteral("limit '%1' is invalid. Should be an integer").arg(text));
    return int(qMin(limit, double(settings.maxLimit)));
}

QJsonObject parseObjectBody(const HttpRequest &request)
{
    if (request.body.trimmed().isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument body = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError::badRequest(QStringLiteral("Invalid JSON body: %1 at offset %2").arg(error.errorString()).arg(error.offset));
    if (!body.isObject())
        throw ApiError::badRequest(QStringLiteral("Body must be a JSON object"));
    return body.object();
}

QJsonArray parseBatchBody(const HttpRequest &request, int batchMax)
{
    QJsonParseError error;
    const QJsonDocument body = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !body.isArray())
        throw ApiError::badRequest(QStringLiteral("Body must be an array"));
    const QJsonArray records = body.array();
    if (records.isEmpty())
        throw ApiError::badRequest(QStringLiteral("Input must not be empty"));
    // common-create-many-query-runner: data.length > QUERY_MAX_RECORDS (§3.5).
    if (records.size() > batchMax)
        throw ApiError::badRequest(QStringLiteral("Maximum number of records to upsert is %1.").arg(batchMax));
    for (const QJsonValue &record : records) {
        if (!record.isObject())
            throw ApiError::badRequest(QStringLiteral("Body must be an array of objects"));
    }
    return records;
}

RecordFilter parseFilter(const HttpRequest &request, const ObjectSchema &schema)
{
    const QString filter = request.queryValue(QStringLiteral("filter"));
    if (filter.isEmpty())
        return RecordFilter();
    return RecordFilter(FilterParser::parse(filter), schema);
}

} // namespace

struct CoreApi::Route {
    QString object;
    QString id;
    bool batch = false;
    bool restore = false;
    QString special; // duplicates, groupBy, merge
};

CoreApi::CoreApi(Workspace &workspace, const EmulatorSettings &settings, RateLimiter &limiter)
    : m_workspace(workspace)
    , m_settings(settings)
    , m_limiter(limiter)
{
}

// parse-core-path (§1).
CoreApi::Route CoreApi::parsePath(const HttpRequest &request, const QString &path) const
{
    const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    Route route;
    route.restore = request.method == "PATCH" && !segments.isEmpty() && segments.last() == QLatin1String("restore");
    if (segments.isEmpty() || segments.size() > (route.restore ? 3 : 2)) {
        throw ApiError::badRequest(QStringLiteral("Query path '/rest%1' invalid. Valid examples: /rest/companies/id or "
                                                  "/rest/companies or /rest/batch/companies")
                                       .arg(path));
    }
    route.object = segments.first();
    if (segments.size() == 1)
        return route;
    if (segments.first() == QLatin1String("batch")) {
        route.object = segments.at(1);
        route.batch = true;
        return route;
    }
    if (QStringList{QStringLiteral("duplicates"), QStringLiteral("groupBy"), QStringLiteral("merge")}.contains(segments.at(1))) {
        route.special = segments.at(1);
        return route;
    }
    if (route.restore && segments.size() == 2)
        return route;
    route.id = segments.at(1);
    if (!Uuids::isValid(route.id))
        throw ApiError::badRequest(QStringLiteral("'%1' is not a valid UUID").arg(route.id));
    route.id = route.id.toLower();
    return route;
}

HttpResponse CoreApi::handle(const HttpRequest &request, const QString &path, const ApiKey &key,
                             const RequestContext &context, QList<RecordEvent> *events)
{
    const Route route = parsePath(request, path);
    const ObjectSchema *schema = m_workspace.metadata().objectByPlural(route.object);
    if (!schema) {
        // rest-api-base.handler: a singular name gets the plural as a hint (§9 #20).
        const ObjectSchema *singular = m_workspace.metadata().objectBySingular(route.object);
        throw ApiError::badRequest(singular ? QStringLiteral("object '%1' not found. Did you mean '%2'?")
                                                  .arg(route.object, singular->namePlural())
                                            : QStringLiteral("object '%1' not found").arg(route.object));
    }
    if (!route.special.isEmpty())
        throw ApiError::notImplemented(QStringLiteral("/rest/%1/%2").arg(route.object, route.special));
    const int depth = parseDepth(request);
    if (request.method == "GET" && !route.batch && !route.restore) {
        return route.id.isEmpty() ? findMany(request, *schema, key, depth)
                                  : findOne(request, *schema, route.id, key, depth);
    }
    return write(request, route, *schema, key, depth, context, events);
}

HttpResponse CoreApi::findMany(const HttpRequest &request, const ObjectSchema &schema, const ApiKey &key, int depth)
{
    PageRequest page;
    page.limit = parseLimit(request, m_settings);
    page.order = RecordOrder::parse(request.queryValue(QStringLiteral("order_by")), schema);
    page.filter = parseFilter(request, schema);
    const QString after = request.queryValue(QStringLiteral("starting_after"));
    const QString before = request.queryValue(QStringLiteral("ending_before"));
    if (!after.isEmpty() && !before.isEmpty())
        throw ApiError::badRequest(QStringLiteral("Cannot use both 'starting_after' and 'ending_before'"));
    if (!after.isEmpty()) {
        page.startingAfter = CursorCodec::decode(after);
        page.order.checkCursor(*page.startingAfter, after);
    }
    if (!before.isEmpty()) {
        page.endingBefore = CursorCodec::decode(before);
        page.order.checkCursor(*page.endingBefore, before);
    }
    const QStringList fields = parseFields(request, schema);
    m_limiter.consumeOrThrow(key);

    const Page result = RecordPager::page(m_workspace.store(schema.nameSingular()).records(), page);
    const RecordPresenter presenter(m_workspace, schema, m_settings.emptyText);
    QJsonArray records;
    for (const QJsonObject &record : result.records)
        records.append(presenter.present(record, depth, fields));
    const auto cursor = [](const QString &value) { return value.isEmpty() ? QJsonValue() : QJsonValue(value); };
    // pageInfo is top level, next to data (§2.3, §9 #2).
    return HttpResponse::json(
        200, QJsonObject{{QStringLiteral("data"), QJsonObject{{schema.namePlural(), records}}},
                         {QStringLiteral("totalCount"), result.totalCount},
                         {QStringLiteral("pageInfo"),
                          QJsonObject{{QStringLiteral("startCursor"), cursor(result.startCursor)},
                                      {QStringLiteral("endCursor"), cursor(result.endCursor)},
                                      {QStringLiteral("hasNextPage"), result.hasNextPage},
                                      {QStringLiteral("hasPreviousPage"), result.hasPreviousPage}}}});
}

HttpResponse CoreApi::findOne(const HttpRequest &request, const ObjectSchema &schema, const QString &id,
                              const ApiKey &key, int depth)
{
    const QStringList fields = parseFields(request, schema);
    m_limiter.consumeOrThrow(key);
    const RecordService service(m_workspace, schema, m_settings, RequestContext());
    const RecordPresenter presenter(m_workspace, schema, m_settings.emptyText);
    return envelope(200, schema.nameSingular(), presenter.present(service.findVisible(id), depth, fields));
}

QStringList CoreApi::parseFields(const HttpRequest &request, const ObjectSchema &schema)
{
    if (!request.query.hasQueryItem(QStringLiteral("fields")))
        return {};
    return RecordPresenter::parseFields(request.queryValue(QStringLiteral("fields")), schema);
}

HttpResponse CoreApi::write(const HttpRequest &request, const Route &route, const ObjectSchema &schema,
                            const ApiKey &key, int depth, const RequestContext &context, QList<RecordEvent> *events)
{
    const QString singular = capitalized(schema.nameSingular());
    const QString plural = capitalized(schema.namePlural());
    const QString cannot = QStringLiteral("Cannot %1 /rest/%2").arg(QString::fromLatin1(request.method), route.object);
    RecordService service(m_workspace, schema, m_settings, context);
    const RecordPresenter presenter(m_workspace, schema, m_settings.emptyText);
    const auto list = [&](const QList<QJsonObject> &records) {
        QJsonArray array;
        for (const QJsonObject &record : records)
            array.append(presenter.present(record, depth));
        return array;
    };
    const auto ids = [](const QList<QJsonObject> &records) {
        QJsonArray array;
        for (const QJsonObject &record : records)
            array.append(QJsonObject{{QStringLiteral("id"), record.value(QStringLiteral("id"))}});
        return array;
    };
    // Bulk writes need a filter (§1, §9 #21).
    const auto bulkFilter = [&](const QString &operation) {
        if (request.queryValue(QStringLiteral("filter")).isEmpty())
            throw ApiError::badRequest(QStringLiteral("Filters are mandatory for bulk %1 operations").arg(operation));
        return parseFilter(request, schema);
    };
    // Only the exact string "true" counts (§1).
    const bool upsert = request.queryValue(QStringLiteral("upsert")) == QLatin1String("true");
    const bool soft = m_settings.deleteDefault == DeleteDefault::Soft
        || request.queryValue(QStringLiteral("soft_delete")) == QLatin1String("true");

    HttpResponse response;
    if (request.method == "POST" && route.id.isEmpty() && !route.restore) {
        if (route.batch) {
            const QJsonArray inputs = parseBatchBody(request, m_settings.batchMax);
            m_limiter.consumeOrThrow(key); // one token for the whole batch (§6)
            response = envelope(201, QStringLiteral("create") + plural, list(service.create(inputs, upsert)));
        } else {
            const QJsonObject input = parseObjectBody(request);
            m_limiter.consumeOrThrow(key);
            response = envelope(201, QStringLiteral("create") + singular,
                                presenter.present(service.create({input}, upsert).first(), depth));
        }
    } else if (route.batch) {
        throw ApiError::notFound(cannot);
    } else if (route.restore && request.method == "PATCH") {
        if (route.id.isEmpty()) {
            const RecordFilter filter = bulkFilter(QStringLiteral("restore"));
            m_limiter.consumeOrThrow(key);
            response = envelope(200, QStringLiteral("restore") + plural, list(service.restoreMany(filter)));
        } else {
            m_limiter.consumeOrThrow(key);
            response = envelope(200, QStringLiteral("restore") + singular, presenter.present(service.restore(route.id), depth));
        }
    } else if (request.method == "PATCH" || request.method == "PUT") {
        const QJsonObject input = parseObjectBody(request);
        if (route.id.isEmpty()) {
            const RecordFilter filter = bulkFilter(QStringLiteral("update"));
            m_limiter.consumeOrThrow(key);
            response = envelope(200, QStringLiteral("update") + plural, list(service.updateMany(filter, input)));
        } else {
            m_limiter.consumeOrThrow(key);
            response = envelope(200, QStringLiteral("update") + singular,
                                presenter.present(service.update(route.id, input), depth));
        }
    } else if (request.method == "DELETE") {
        // The dispatch rule of rest-api-core.service (§1).
        if (route.id.isEmpty()) {
            const RecordFilter filter = bulkFilter(soft ? QStringLiteral("delete") : QStringLiteral("destroy"));
            m_limiter.consumeOrThrow(key);
            response = soft ? envelope(200, QStringLiteral("delete") + plural, list(service.softDeleteMany(filter)))
                            : envelope(200, QStringLiteral("delete") + plural, ids(service.destroyMany(filter)));
        } else {
            m_limiter.consumeOrThrow(key);
            response = soft ? envelope(200, QStringLiteral("delete") + singular,
                                       presenter.present(service.softDelete(route.id), depth))
                            : envelope(200, QStringLiteral("delete") + singular,
                                       QJsonObject{{QStringLiteral("id"), service.destroy(route.id).value(QStringLiteral("id"))}});
        }
    } else {
        throw ApiError::notFound(cannot);
    }
    events->append(service.events());
    return response;
}

} // namespace tf::emu
