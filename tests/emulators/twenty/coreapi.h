#pragma once

#include "common/httpmessage.h"
#include "twenty/emulatorsettings.h"
#include "twenty/recordevent.h"

namespace tf::emu {

class ObjectSchema;
class RateLimiter;
class Workspace;
struct ApiKey;

// The core REST API on /rest/<object> (§1 route table, §2, §3): path and query parsing with Twenty's messages,
// the rate limiter in front of every record operation (§6), and the response envelopes.
class CoreApi
{
public:
    CoreApi(Workspace &workspace, const EmulatorSettings &settings, RateLimiter &limiter);

    // `path` is below /rest. Events of a successful write are appended to `events`. Throws ApiError.
    HttpResponse handle(const HttpRequest &request, const QString &path, const ApiKey &key,
                        const RequestContext &context, QList<RecordEvent> *events);

private:
    struct Route;
    Route parsePath(const HttpRequest &request, const QString &path) const;

    HttpResponse findMany(const HttpRequest &request, const ObjectSchema &schema, const ApiKey &key, int depth);
    HttpResponse findOne(const HttpRequest &request, const ObjectSchema &schema, const QString &id, const ApiKey &key,
                         int depth);
    HttpResponse write(const HttpRequest &request, const Route &route, const ObjectSchema &schema, const ApiKey &key,
                       int depth, const RequestContext &context, QList<RecordEvent> *events);
    static QStringList parseFields(const HttpRequest &request, const ObjectSchema &schema);

    Workspace &m_workspace;
    const EmulatorSettings &m_settings;
    RateLimiter &m_limiter;
};

} // namespace tf::emu
