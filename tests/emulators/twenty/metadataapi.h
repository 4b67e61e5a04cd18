#pragma once

#include "common/httpmessage.h"

namespace tf::emu {

class Workspace;

// The metadata REST API on /rest/metadata/objects and /rest/metadata/fields (§4.2) in its legacy format
// ({"data":{"createOneField":{...}}}, lists under data.<name> with pageInfo and totalCount; cursors are plain ids).
// Field changes carry over to the records: a renamed field moves its values, a deleted one loses them, and a field
// made unique gets its index (refused while stored values collide).
class MetadataApi
{
public:
    explicit MetadataApi(Workspace &workspace);

    // `path` is below /rest/metadata. Throws ApiError.
    HttpResponse handle(const HttpRequest &request, const QString &path, const QString &now);

private:
    HttpResponse objects(const HttpRequest &request, const QStringList &segments);
    HttpResponse fields(const HttpRequest &request, const QStringList &segments, const QString &now);
    HttpResponse createField(const HttpRequest &request, const QString &now);
    HttpResponse updateField(const HttpRequest &request, const QString &id, const QString &now);
    HttpResponse deleteField(const QString &id);

    Workspace &m_workspace;
};

} // namespace tf::emu
