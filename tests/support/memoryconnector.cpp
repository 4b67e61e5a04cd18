#include "support/memoryconnector.h"

#include "core/contactnormalizer.h"

namespace tf::test {

MemoryConnector::MemoryConnector(Layer layer, qint64 *clock)
    : m_layer(layer)
    , m_clock(clock)
{
}

void MemoryConnector::store(Contact contact)
{
    contact = ContactNormalizer::normalized(contact);
    if (serverNormalisation)
        contact = serverNormalisation(contact);
    if (m_layer == Layer::Crm && contact.text(field::CrmId).isEmpty()) {
        const Contact existing = m_rows.value(contact.id());
        contact.setValue(field::CrmId, existing.text(field::CrmId).isEmpty()
                                           ? QStringLiteral("crm-%1").arg(m_nextCrmId++)
                                           : existing.text(field::CrmId));
    }
    contact.setValue(field::UpdatedAt, QDateTime::fromMSecsSinceEpoch(++*m_clock, Qt::UTC));
    m_rows.insert(contact.id(), contact);
    m_changeLog.append(contact.id());
}

QStringList MemoryConnector::vanishedContactIds(const QStringList &held)
{
    QStringList vanished;
    for (const QString &id : held) {
        if (!m_rows.contains(id))
            vanished.append(id);
    }
    return vanished;
}

void MemoryConnector::externalWrite(const Contact &contact)
{
    store(contact);
}

ChangePage MemoryConnector::readChanges(const QString &watermark, int limit)
{
    ChangePage page;
    int seq = watermark.toInt();
    QSet<QString> seen;
    while (seq < m_changeLog.size() && page.contacts.size() < limit) {
        const QString id = m_changeLog.at(seq++);
        if (!seen.contains(id)) {
            seen.insert(id);
            page.contacts.append(m_rows.value(id));
        }
    }
    page.nextWatermark = QString::number(seq);
    page.hasMore = seq < m_changeLog.size();
    return page;
}

QList<Contact> MemoryConnector::readByIds(const QStringList &contactIds)
{
    QList<Contact> found;
    for (const QString &id : contactIds) {
        if (m_rows.contains(id))
            found.append(m_rows.value(id));
    }
    return found;
}

WriteResult MemoryConnector::writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected)
{
    ++writeCalls;
    if (beforeWrite)
        beforeWrite(writeCalls);
    if (failWriteCallsFrom > 0 && writeCalls >= failWriteCallsFrom)
        throw ConnectorError(m_layer, ConnectorError::Kind::Unreachable, QStringLiteral("simulated outage"));
    WriteResult result;
    for (const Contact &contact : contacts) {
        const std::optional<Contact> current = m_rows.contains(contact.id()) ? std::optional<Contact>(m_rows.value(contact.id()))
                                                                              : std::nullopt;
        if (!expected.stillHolds(contact.id(), current)) {
            result.moved.append(contact.id());
            continue;
        }
        if (poison.contains(contact.id())) {
            result.rejected.insert(contact.id(), QStringLiteral("refused by the layer"));
            continue;
        }
        store(contact);
        ++contactsWritten;
        result.stored.append(m_rows.value(contact.id()));
    }
    if (writeCalls == loseAnswerOfCall)
        throw ConnectorError(m_layer, ConnectorError::Kind::Unreachable, QStringLiteral("simulated lost answer"));
    return result;
}

} // namespace tf::test
