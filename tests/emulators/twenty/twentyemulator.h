#pragma once

#include "twenty/apikeyring.h"
#include "twenty/coreapi.h"
#include "twenty/datafile.h"
#include "twenty/emulatorsettings.h"
#include "twenty/metadataapi.h"
#include "twenty/ratelimiter.h"
#include "twenty/serverclock.h"
#include "twenty/webhookapi.h"
#include "twenty/webhookdispatcher.h"
#include "twenty/webhookregistry.h"
#include "twenty/workspace.h"

#include <QObject>

namespace tf::emu {

// The Twenty stand-in behind the HTTP front: bearer check first (§5), then the webhook, metadata or core API,
// each request atomic, the data file rewritten after a write, webhooks told afterwards. Its own switches live under
// /__emulator/:
//   POST     /__emulator/reset               no records, no custom fields, no webhooks; rate buckets full
//   GET/POST /__emulator/clock               {"offsetMs": N} or {"freezeAt": "ISO" | null}; answers the clock
//   GET      /__emulator/rate-limit          the buckets' levels; POST refills them
//   GET      /__emulator/webhook-deliveries  finished webhook deliveries; DELETE forgets them
class TwentyEmulator : public QObject
{
    Q_OBJECT
public:
    explicit TwentyEmulator(EmulatorSettings settings, QObject *parent = nullptr);

    bool loadData(QString *error); // --data FILE, when given
    HttpResponse handle(const HttpRequest &request);
    // Twenty's own body for a status the fault injector imposes (429 in the configured style, 500, 503, ...).
    HttpResponse injectedError(int status) const;

private:
    HttpResponse rest(const HttpRequest &request);
    HttpResponse admin(const HttpRequest &request);
    void announce(const QList<RecordEvent> &events);
    void persist();

    EmulatorSettings m_settings;
    ServerClock m_clock;
    ApiKeyRing m_keys;
    RateLimiter m_limiter;
    Workspace m_workspace;
    WebhookRegistry m_webhooks;
    WebhookDispatcher m_dispatcher;
    DataFile m_dataFile;
    CoreApi m_core;
    MetadataApi m_metadata;
    WebhookApi m_webhookApi;
};

} // namespace tf::emu
