#include "core/consistencyverifier.h"

#include "core/contactcodec.h"
#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <set>

namespace tf {

QJsonObject VerifyReport::toJson() const
{
    QJsonArray list;
    for (const ContactDifferences &contact : contacts) {
        QJsonArray differences;
        for (const FieldDifference &difference : contact.differences) {
            QJsonObject values;
            for (auto it = difference.values.cbegin(); it != difference.values.cend(); ++it)
                values.insert(layerName(it.key()), it.value());
            differences.append(
                QJsonObject{{QStringLiteral("field"), difference.field}, {QStringLiteral("values"), values}});
        }
        QJsonObject entry{{QStringLiteral("contact_id"), contact.contactId},
                          {QStringLiteral("differences"), differences}};
        if (!contact.refused.isEmpty()) {
            QJsonArray refused;
            for (const RefusedValue &value : contact.refused)
                refused.append(QJsonObject{{QStringLiteral("layer"), layerName(value.layer)},
                                           {QStringLiteral("field"), value.field},
                                           {QStringLiteral("reason"), value.reason},
                                           {QStringLiteral("message"), value.message()}});
            entry.insert(QStringLiteral("refused"), refused);
        }
        list.append(entry);
    }
    QJsonObject object{{QStringLiteral("consistent"), consistent()}, {QStringLiteral("contacts"), list}};
    if (!errors.isEmpty())
        object.insert(QStringLiteral("errors"), QJsonArray::fromStringList(errors));
    return object;
}

ConsistencyVerifier::ConsistencyVerifier(QMap<Layer, Connector *> connectors, int pageSize)
    : m_connectors(std::move(connectors))
    , m_pageSize(pageSize)
{
}

QHash<QString, Contact> ConsistencyVerifier::readLayer(Connector *connector, const QStringList &contactIds)
{
    QHash<QString, Contact> contacts;
    if (!contactIds.isEmpty()) {
        for (const Contact &contact : connector->readByIds(contactIds))
            contacts.insert(contact.id(), contact);
        return contacts;
    }
    QString watermark;
    for (;;) {
        const ChangePage page = connector->readChanges(watermark, m_pageSize);
        for (const Contact &contact : page.contacts)
            contacts.insert(contact.id(), contact);
        if (!page.hasMore || page.nextWatermark == watermark)
            break;
        watermark = page.nextWatermark;
    }
    return contacts;
}

QMap<Layer, Contact> ConsistencyVerifier::versionsOf(const QString &contactId)
{
    QMap<Layer, Contact> versions;
    for (auto it = m_connectors.cbegin(); it != m_connectors.cend(); ++it) {
        const QList<Contact> found = it.value()->readByIds({contactId});
        if (!found.isEmpty())
            versions.insert(it.key(), found.first());
    }
    return versions;
}

VerifyReport ConsistencyVerifier::verify(const QStringList &contactIds)
{
    VerifyReport report;
    QMap<Layer, QHash<QString, Contact>> byLayer;
    for (auto it = m_connectors.cbegin(); it != m_connectors.cend(); ++it) {
        report.layers.append(it.key());
        try {
            byLayer.insert(it.key(), readLayer(it.value(), contactIds));
        } catch (const ConnectorError &error) {
            report.errors << QString::fromUtf8(error.what());
        }
    }
    std::set<QString> ids(contactIds.cbegin(), contactIds.cend());
    for (const QHash<QString, Contact> &contacts : std::as_const(byLayer)) {
        for (auto it = contacts.cbegin(); it != contacts.cend(); ++it)
            ids.insert(it.key());
    }

    for (const QString &id : ids) {
        ++report.contactsCompared;
        ContactDifferences differences;
        differences.contactId = id;
        for (auto it = byLayer.cbegin(); it != byLayer.cend(); ++it) {
            const auto found = it.value().constFind(id);
            if (found != it.value().cend())
                differences.refused << ValueValidator::refusals(*found, it.key());
        }
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            if (!spec.isContent())
                continue;
            bool differs = false;
            std::optional<QString> first;
            std::optional<bool> firstIsSet;
            FieldDifference difference;
            difference.field = spec.name;
            for (auto it = byLayer.cbegin(); it != byLayer.cend(); ++it) {
                const auto found = it.value().constFind(id);
                const QVariant value = found == it.value().cend() ? QVariant() : found->value(spec.index);
                // A contact a layer lacks differs even in its (then missing) id.
                const QString text = found == it.value().cend() ? QStringLiteral("\u0000missing")
                                                                : ContactNormalizer::canonicalText(spec, value);
                const bool isSet = !text.isEmpty();
                if (!firstIsSet)
                    firstIsSet = isSet;
                differs = differs || *firstIsSet != isSet;
                // The time Twenty stamped itself is its own; every other layer holds the time the sync wrote.
                if (!(spec.isStampedByTwenty() && m_connectors.value(it.key())->stampsDeletionTimes())) {
                    if (!first)
                        first = text;
                    differs = differs || *first != text;
                }
                difference.values.insert(it.key(),
                                         found == it.value().cend() ? QJsonValue(QJsonValue::Null)
                                                                    : ContactCodec::valueToJson(spec, value));
            }
            if (differs)
                differences.differences.append(difference);
        }
        if (!differences.differences.isEmpty() || !differences.refused.isEmpty())
            report.contacts.append(differences);
    }
    return report;
}

} // namespace tf
