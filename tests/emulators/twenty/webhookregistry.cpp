#include "twenty/webhookregistry.h"

#include "twenty/apierror.h"
#include "twenty/uuids.h"
#include "twenty/valueinspector.h"

#include <QUrl>

namespace tf::emu {

namespace {

ApiError webhookNotFound()
{
    return ApiError::notFound(QStringLiteral("Webhook not found"));
}

} // namespace

QString WebhookRegistry::normalizedTargetUrl(const QString &url)
{
    QUrl parsed(url.trimmed(), QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || parsed.host().isEmpty() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return {};
    parsed.setScheme(scheme);
    parsed.setHost(parsed.host().toLower());
    if (parsed.port() == (scheme == QLatin1String("https") ? 443 : 80))
        parsed.setPort(-1);
    if (parsed.path().isEmpty())
        parsed.setPath(QStringLiteral("/")); // a bare host gains its "/" (§7.1)
    return parsed.toString(QUrl::FullyEncoded);
}

void WebhookRegistry::apply(QJsonObject &webhook, const QJsonObject &input)
{
    if (input.contains(QStringLiteral("targetUrl"))) {
        const QString url = normalizedTargetUrl(input.value(QStringLiteral("targetUrl")).toString());
        if (url.isEmpty()) {
            throw ApiError::badRequest(QStringLiteral("Invalid target URL %1: it must be an http or https URL")
                                           .arg(ValueInspector::inspect(input.value(QStringLiteral("targetUrl")))));
        }
        webhook.insert(QStringLiteral("targetUrl"), url);
    }
    if (input.contains(QStringLiteral("operations"))) {
        const QJsonValue operations = input.value(QStringLiteral("operations"));
        bool ok = operations.isArray() && !operations.toArray().isEmpty();
        for (const QJsonValue &operation : operations.toArray())
            ok = ok && operation.isString() && operation.toString().count(QLatin1Char('.')) == 1;
        if (!ok) {
            throw ApiError::badRequest(QStringLiteral("Invalid operations %1: a list of \"<object>.<action>\" such as "
                                                      "\"person.*\"")
                                           .arg(ValueInspector::inspect(operations)));
        }
        webhook.insert(QStringLiteral("operations"), operations);
    }
    for (const QString &key : {QStringLiteral("description"), QStringLiteral("secret")}) {
        if (!input.contains(key))
            continue;
        const QJsonValue value = input.value(key);
        if (!value.isString() && !value.isNull())
            throw ApiError::badRequest(QStringLiteral("Invalid %1 %2: must be a string").arg(key, ValueInspector::inspect(value)));
        webhook.insert(key, value);
    }
}

QJsonObject WebhookRegistry::create(const QJsonObject &input, const QString &now)
{
    if (!input.value(QStringLiteral("targetUrl")).isString())
        throw ApiError::badRequest(QStringLiteral("targetUrl is required"));
    QJsonObject webhook{{QStringLiteral("id"), Uuids::create()},
                        {QStringLiteral("operations"), QJsonArray{QStringLiteral("*.*")}},
                        {QStringLiteral("description"), QJsonValue()},
                        {QStringLiteral("secret"), QJsonValue()},
                        {QStringLiteral("applicationId"), QJsonValue()},
                        {QStringLiteral("createdAt"), now},
                        {QStringLiteral("updatedAt"), now},
                        {QStringLiteral("deletedAt"), QJsonValue()}};
    apply(webhook, input);
    m_webhooks.append(webhook);
    return webhook;
}

qsizetype WebhookRegistry::indexOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_webhooks.size(); ++i) {
        if (m_webhooks.at(i).value(QStringLiteral("id")).toString().compare(id, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

QJsonObject WebhookRegistry::update(const QString &id, const QJsonObject &input, const QString &now)
{
    const qsizetype index = indexOf(id);
    if (index < 0)
        throw webhookNotFound();
    QJsonObject webhook = m_webhooks.at(index);
    apply(webhook, input);
    webhook.insert(QStringLiteral("updatedAt"), now);
    m_webhooks[index] = webhook;
    return webhook;
}

void WebhookRegistry::remove(const QString &id)
{
    const qsizetype index = indexOf(id);
    if (index < 0)
        throw webhookNotFound();
    m_webhooks.removeAt(index);
}

QJsonObject WebhookRegistry::find(const QString &id) const
{
    const qsizetype index = indexOf(id);
    if (index < 0)
        throw webhookNotFound();
    return m_webhooks.at(index);
}

QList<QJsonObject> WebhookRegistry::subscribedTo(const QString &object, const QString &action) const
{
    const QStringList accepted{object + QLatin1Char('.') + action, QStringLiteral("*.") + action,
                               object + QStringLiteral(".*"), QStringLiteral("*.*")};
    QList<QJsonObject> subscribed;
    for (const QJsonObject &webhook : m_webhooks) {
        for (const QJsonValue &operation : webhook.value(QStringLiteral("operations")).toArray()) {
            if (accepted.contains(operation.toString())) {
                subscribed.append(webhook);
                break;
            }
        }
    }
    return subscribed;
}

QJsonArray WebhookRegistry::toJson() const
{
    QJsonArray webhooks;
    for (const QJsonObject &webhook : m_webhooks)
        webhooks.append(webhook);
    return webhooks;
}

void WebhookRegistry::load(const QJsonArray &webhooks)
{
    m_webhooks.clear();
    for (const QJsonValue &webhook : webhooks)
        m_webhooks.append(webhook.toObject());
}

} // namespace tf::emu
