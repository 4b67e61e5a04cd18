#include "twenty/webhookdispatcher.h"

#include "twenty/orderedjson.h"
#include "twenty/serverclock.h"
#include "twenty/webhookregistry.h"

#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QRandomGenerator>

namespace tf::emu {

namespace {

constexpr int kTimeoutMs = 5000; // axios timeout of call-webhook.job

} // namespace

WebhookDispatcher::WebhookDispatcher(const WebhookRegistry &registry, const ServerClock &clock, QString workspaceId,
                                     QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_clock(clock)
    , m_workspaceId(std::move(workspaceId))
{
}

QByteArray WebhookDispatcher::body(const QJsonObject &webhook, const RecordEvent &event, const QString &objectMetadataId,
                                   const QString &workspaceId, const QString &eventDate, const QJsonObject &record)
{
    // transform-event-batch-to-webhook-events: targetUrl, eventName, objectMetadata, workspaceId, webhookId,
    // eventDate, (userId, workspaceMemberId: absent for API keys), record, updatedFields on updates only.
    OrderedJsonObject objectMetadata;
    objectMetadata.insert(QStringLiteral("id"), objectMetadataId).insert(QStringLiteral("nameSingular"), event.objectSingular);
    OrderedJsonObject payload;
    payload.insert(QStringLiteral("targetUrl"), webhook.value(QStringLiteral("targetUrl")))
        .insert(QStringLiteral("eventName"), event.objectSingular + QLatin1Char('.') + event.action)
        .insertRaw(QStringLiteral("objectMetadata"), objectMetadata.toJson())
        .insert(QStringLiteral("workspaceId"), workspaceId)
        .insert(QStringLiteral("webhookId"), webhook.value(QStringLiteral("id")))
        .insert(QStringLiteral("eventDate"), eventDate)
        .insert(QStringLiteral("record"), record);
    if (event.action == QLatin1String("updated"))
        payload.insert(QStringLiteral("updatedFields"), QJsonArray::fromStringList(event.updatedFields));
    return payload.toJson();
}

QByteArray WebhookDispatcher::signature(const QByteArray &secret, const QByteArray &timestamp, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(timestamp + ':' + body, secret, QCryptographicHash::Sha256).toHex();
}

void WebhookDispatcher::dispatch(const RecordEvent &event, const QString &objectMetadataId, const QJsonObject &record)
{
    const QString eventName = event.objectSingular + QLatin1Char('.') + event.action;
    for (const QJsonObject &webhook : m_registry.subscribedTo(event.objectSingular, event.action))
        post(webhook, eventName, body(webhook, event, objectMetadataId, m_workspaceId, m_clock.nowText(), record));
}

void WebhookDispatcher::post(const QJsonObject &webhook, const QString &eventName, const QByteArray &body)
{
    QNetworkRequest request(QUrl(webhook.value(QStringLiteral("targetUrl")).toString()));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(kTimeoutMs);
    const QByteArray secret = webhook.value(QStringLiteral("secret")).toString().toUtf8();
    if (!secret.isEmpty()) {
        const QByteArray timestamp = QByteArray::number(m_clock.nowMs()); // Date.now(): milliseconds
        QByteArray nonce(16, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), nonce.size() / 4);
        request.setRawHeader("X-Twenty-Webhook-Timestamp", timestamp);
        request.setRawHeader("X-Twenty-Webhook-Signature", signature(secret, timestamp, body));
        request.setRawHeader("X-Twenty-Webhook-Nonce", nonce.toHex());
    }
    QNetworkReply *reply = m_network.post(request, body);
    const QJsonObject delivery{{QStringLiteral("webhookId"), webhook.value(QStringLiteral("id"))},
                               {QStringLiteral("eventName"), eventName},
                               {QStringLiteral("targetUrl"), webhook.value(QStringLiteral("targetUrl"))}};
    connect(reply, &QNetworkReply::finished, this, [this, reply, delivery] {
        // The job only logs the outcome: no retry (§7.3).
        QJsonObject outcome = delivery;
        outcome.insert(QStringLiteral("status"), reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        outcome.insert(QStringLiteral("error"), reply->error() == QNetworkReply::NoError ? QString() : reply->errorString());
        m_deliveries.append(outcome);
        reply->deleteLater();
    });
}

} // namespace tf::emu
