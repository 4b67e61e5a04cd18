#pragma once

#include "common/httpmessage.h"

namespace tf::emu {

class WebhookRegistry;

// /rest/metadata/webhooks and its deprecated alias /rest/webhooks (§7.1): GET, GET /:id, POST, PATCH /:id and
// DELETE /:id, answering bare entities (no data wrapper) and `true` for a delete.
class WebhookApi
{
public:
    explicit WebhookApi(WebhookRegistry &registry);

    // `id` is empty for the collection. Throws ApiError.
    HttpResponse handle(const HttpRequest &request, const QString &id, const QString &now);

private:
    WebhookRegistry &m_registry;
};

} // namespace tf::emu
