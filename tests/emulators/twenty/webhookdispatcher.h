#pragma once

#include "twenty/recordevent.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QObject>

namespace tf::emu {

class ServerClock;
class WebhookRegistry;

// Delivers database events to the webhooks subscribed to them, as CallWebhookJob does (§7.3): one POST per webhook
// and event with the body keys in Twenty's order, the X-Twenty-Webhook-* headers only when the webhook has a secret,
// a 5 s timeout, and no retry whatever happens. Loopback targets are allowed (a stand-in's receivers are local).
class WebhookDispatcher : public QObject
{
    Q_OBJECT
public:
    WebhookDispatcher(const WebhookRegistry &registry, const ServerClock &clock, QString workspaceId,
                      QObject *parent = nullptr);

    // `record` is the event's record as the API shows it at depth 0.
    void dispatch(const RecordEvent &event, const QString &objectMetadataId, const QJsonObject &record);

    // Finished deliveries, oldest first: {webhookId, eventName, targetUrl, status, error}.
    const QJsonArray &deliveries() const { return m_deliveries; }
    void clearDeliveries() { m_deliveries = QJsonArray(); }

    static QByteArray body(const QJsonObject &webhook, const RecordEvent &event, const QString &objectMetadataId,
                           const QString &workspaceId, const QString &eventDate, const QJsonObject &record);
    // hex(HMAC-SHA256(secret, timestamp ":" body)).
    static QByteArray signature(const QByteArray &secret, const QByteArray &timestamp, const QByteArray &body);

private:
    void post(const QJsonObject &webhook, const QString &eventName, const QByteArray &body);

    const WebhookRegistry &m_registry;
    const ServerClock &m_clock;
    QString m_workspaceId;
    QNetworkAccessManager m_network;
    QJsonArray m_deliveries;
};

} // namespace tf::emu
