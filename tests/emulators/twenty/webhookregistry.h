#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace tf::emu {

// The workspace's webhooks (§7.1): {id, targetUrl, operations, description, secret, createdAt, updatedAt, deletedAt,
// applicationId}, targetUrl http(s) only and normalised as new URL(u).toString() does, operations "*.*" by default.
class WebhookRegistry
{
public:
    QJsonObject create(const QJsonObject &input, const QString &now); // throws ApiError 400
    QJsonObject update(const QString &id, const QJsonObject &input, const QString &now); // throws 400/404
    void remove(const QString &id);                                   // throws 404
    QJsonObject find(const QString &id) const;                        // throws 404
    const QList<QJsonObject> &all() const { return m_webhooks; }

    // The webhooks whose operations cover `<object>.<action>` (call-webhook-jobs: exact, *.action, object.*, *.*).
    QList<QJsonObject> subscribedTo(const QString &object, const QString &action) const;

    QJsonArray toJson() const;
    void load(const QJsonArray &webhooks);
    void reset() { m_webhooks.clear(); }

private:
    static QString normalizedTargetUrl(const QString &url); // empty when not an http(s) URL
    static void apply(QJsonObject &webhook, const QJsonObject &input);
    qsizetype indexOf(const QString &id) const;

    QList<QJsonObject> m_webhooks;
};

} // namespace tf::emu
