#pragma once

#include "core/connector.h"

#include <QMap>
#include <functional>

namespace tf::test {

// An in-memory layer for the engine's unit and model tests (STYLE.md: inject the network so the merge and
// watermark logic runs hundreds of seeds without sleeping; the scenario tests use the real layers). It behaves like
// the remote layers do: every write bumps the layer's own updated_at and is reported back as a change (the sync
// must recognise its own echo), an optional server-side normalisation rewrites values, and writes can be made to
// fail to simulate an outage or a crash mid-cycle.
class MemoryConnector : public Connector
{
    Q_OBJECT
public:
    explicit MemoryConnector(Layer layer, qint64 *clock);

    Layer layer() const override { return m_layer; }
    void provision() override {}
    ChangePage readChanges(const QString &watermark, int limit) override;
    QList<Contact> readByIds(const QStringList &contactIds) override;
    WriteResult writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected) override;
    // Like Twenty, the CRM stand-in mints crm_id (see store()).
    QStringList mintedFields() const override
    {
        return m_layer == Layer::Crm ? QStringList{field::CrmId} : QStringList();
    }
    bool stampsDeletionTimes() const override { return stampsDeletions; }
    QList<HealthCheck> healthChecks() override { return {}; }
    // Like Twenty's: of `held`, the contacts this layer no longer has at all (see destroy()).
    QStringList vanishedContactIds(const QStringList &held) override;

    // A person edits the layer directly.
    void externalWrite(const Contact &contact);
    // A person removes the contact for good, leaving no change to read (Twenty's destroy).
    void destroy(const QString &contactId) { m_rows.remove(contactId); }
    Contact stored(const QString &contactId) const { return m_rows.value(contactId); }
    bool holds(const QString &contactId) const { return m_rows.contains(contactId); }
    QList<Contact> all() const { return m_rows.values(); }

    int writeCalls = 0;
    int contactsWritten = 0;
    int failWriteCallsFrom = -1;           // writeBatch number (1-based) from which writes throw
    int loseAnswerOfCall = -1;             // this writeBatch stores, then throws: committed, but the answer was lost
    QSet<QString> poison;                   // contact ids this layer refuses
    bool stampsDeletions = false;           // declares Twenty's habit: its deletion times count only as "deleted"
    // Runs at the start of every writeBatch (its 1-based number): a person editing the layer while a cycle runs.
    std::function<void(int)> beforeWrite;
    std::function<Contact(Contact)> serverNormalisation;

private:
    void store(Contact contact);

    Layer m_layer;
    qint64 *m_clock;
    QMap<QString, Contact> m_rows;
    QList<QString> m_changeLog; // contact ids, seq = index + 1
    int m_nextCrmId = 1;
};

} // namespace tf::test
