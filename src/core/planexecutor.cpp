#include "core/planexecutor.h"

#include "core/contenthash.h"
#include "core/logging.h"

#include <QJsonObject>

namespace tf {

namespace {

QString operationOf(const Contact &target)
{
    return target.isDeleted() ? QStringLiteral("tombstone") : QStringLiteral("upsert");
}

} // namespace

struct PlanExecutor::Progress {
    PlannedContact *contact = nullptr;
    Contact target; // the plan's target; gains the minted id when its minter returns one
    QString targetHash;
    QString committedHash;        // the base this cycle last committed for the contact
    bool targetGrew = false;      // a minted id arrived after the plan was made
    QMap<Layer, Contact> holding; // what each layer holds, as far as this cycle knows
    QHash<Layer, qint64> journalEntry;

    QString id() const { return contact->plan.contactId; }
    bool writes(Layer layer) const
    {
        for (const LayerWrite &write : contact->plan.writes) {
            if (write.layer == layer)
                return true;
        }
        return false;
    }
};

PlanExecutor::PlanExecutor(StateDatabase *state, const QMap<Layer, Connector *> &connectors, Settings settings)
    : m_state(state)
    , m_connectors(connectors)
    , m_settings(std::move(settings))
{
}

PlanExecutor::Outcome PlanExecutor::execute(QList<PlannedContact> &contacts, CycleReport &report)
{
    Outcome outcome;
    QList<Progress> progress;
    progress.reserve(contacts.size());
    for (PlannedContact &contact : contacts) {
        Progress p;
        p.contact = &contact;
        p.target = contact.plan.merge.merged;
        p.targetHash = contact.plan.targetHash;
        p.holding = contact.versions;
        progress.append(p);
    }

    // Every write is journaled before it is sent; contacts every layer already agrees on are committed at once.
    StateTransaction transaction(m_state);
    QMap<Layer, QList<int>> byLayer;
    for (int i = 0; i < progress.size(); ++i) {
        Progress &p = progress[i];
        if (p.contact->plan.writes.isEmpty())
            commitTarget(p);
        for (const LayerWrite &write : p.contact->plan.writes)
            byLayer[write.layer].append(i);
    }
    for (auto it = byLayer.cbegin(); it != byLayer.cend(); ++it)
        journal(progress, it.key(), it.value(), QString());
    for (const Progress &p : std::as_const(progress)) {
        if (!p.contact->plan.writes.isEmpty())
            m_state->savePlannedCommit(p.id(), PlannedCommit{p.target, SyncPlanner::intentHash(p.target, m_settings.mintedBy),
                                                             p.contact->versions, p.contact->plan.inSync});
    }
    transaction.commit();

    for (Layer layer : m_settings.layers) {
        if (byLayer.contains(layer) && !writeLayer(layer, progress, byLayer.value(layer), report, outcome)) {
            outcome.completed = false;
            return outcome;
        }
    }
    // A record id minted by its layer reaches the layers that were written, or agreed, before it existed (contract:
    // crm_id is "written back to the other layers after the first create in Twenty").
    for (Layer layer : m_settings.layers) {
        const QList<int> stale = staleAfterMinting(progress, layer);
        if (stale.isEmpty())
            continue;
        StateTransaction transaction(m_state);
        journal(progress, layer, stale, QStringLiteral("minted id write-back"));
        transaction.commit();
        if (!writeLayer(layer, progress, stale, report, outcome)) {
            outcome.completed = false;
            return outcome;
        }
    }
    retireStrays(progress, report);
    outcome.moved.removeDuplicates();
    return outcome;
}

void PlanExecutor::journal(QList<Progress> &progress, Layer layer, const QList<int> &indices, const QString &operation)
{
    for (int i : indices) {
        Progress &p = progress[i];
        const auto held = p.holding.constFind(layer);
        const QJsonObject payload{
            {QStringLiteral("hash"), p.targetHash},
            {QStringLiteral("expected"), held == p.holding.cend() ? QJsonValue() : QJsonValue(ContentHash::of(*held))}};
        p.journalEntry.insert(layer,
                              m_state->journalPlanned(m_settings.cycleId, p.id(), layer,
                                                      operation.isEmpty() ? operationOf(p.target) : operation,
                                                      payload));
    }
}

bool PlanExecutor::writeLayer(Layer layer, QList<Progress> &progress, const QList<int> &indices, CycleReport &report,
                              Outcome &outcome)
{
    Connector *connector = m_connectors.value(layer);
    for (qsizetype start = 0; start < indices.size(); start += m_settings.batchSize) {
        const QList<int> chunk = indices.mid(start, m_settings.batchSize);
        QList<Contact> batch;
        ExpectedVersions expected;
        QHash<QString, int> indexOf;
        for (int i : chunk) {
            const Progress &p = progress.at(i);
            batch.append(p.target);
            const auto held = p.holding.constFind(layer);
            expected.expect(p.id(), held == p.holding.cend() ? std::nullopt : std::optional<Contact>(*held));
            indexOf.insert(p.id(), i);
        }
        WriteResult result;
        try {
            result = connector->writeBatch(batch, expected);
        } catch (const ConnectorError &error) {
            StateTransaction transaction(m_state);
            for (int i : chunk)
                m_state->journalFinished(progress.at(i).journalEntry.value(layer), JournalEntry::Status::Failed,
                                         QString::fromUtf8(error.what()));
            transaction.commit();
            report.errors << QString::fromUtf8(error.what());
            return false;
        }
        // Each layer's outcome is committed as soon as its write returns.
        StateTransaction transaction(m_state);
        for (const Contact &stored : std::as_const(result.stored)) {
            if (!indexOf.contains(stored.id()))
                continue;
            Progress &p = progress[indexOf.value(stored.id())];
            takeMintedIds(p, layer, stored);
            recordStored(p, layer, stored, report);
        }
        for (auto it = result.rejected.cbegin(); it != result.rejected.cend(); ++it) {
            const Progress *p = indexOf.contains(it.key()) ? &progress.at(indexOf.value(it.key())) : nullptr;
            m_state->addDeadLetter(it.key(), layer, it.value(), p ? p->targetHash : QString());
            if (p)
                m_state->journalFinished(p->journalEntry.value(layer), JournalEntry::Status::Failed, it.value());
            ++report.rejected[layer];
        }
        for (const QString &id : std::as_const(result.moved)) {
            if (!indexOf.contains(id))
                continue;
            m_state->journalFinished(progress.at(indexOf.value(id)).journalEntry.value(layer),
                                     JournalEntry::Status::Skipped,
                                     QStringLiteral("%1 changed the contact after it was read: not overwritten, "
                                                    "re-read and merged")
                                         .arg(layerName(layer)));
            outcome.moved.append(id);
            ++report.moved[layer];
        }
        transaction.commit();
    }
    return true;
}

// The target becomes the base when the first layer holds it; the layers that already held it are recorded with it.
void PlanExecutor::commitTarget(Progress &p)
{
    if (p.committedHash == p.targetHash)
        return;
    const bool first = p.committedHash.isEmpty();
    m_state->setBase(p.target);
    p.committedHash = p.targetHash;
    if (!first)
        return;
    m_state->clearPlannedCommit(p.id());
    // Every version the plan was made from is now merged into the target (taken, or decided against by the
    // policy): each layer is recorded as holding it, so only what it changes after this counts as its edit. A
    // layer that already held the target holds its form of the base (unless an id was minted since).
    const QList<Layer> &inSync = p.contact->plan.inSync;
    for (auto it = p.contact->versions.cbegin(); it != p.contact->versions.cend(); ++it)
        m_state->setLayerState(p.id(), it.key(), it.value(), inSync.contains(it.key()) && !p.targetGrew);
    if (p.contact->answersConflicts)
        m_state->markConflictsApplied(p.id());
}

void PlanExecutor::recordStored(Progress &p, Layer layer, const Contact &stored, CycleReport &report)
{
    commitTarget(p);
    m_state->setLayerState(p.id(), layer, stored, true);
    p.holding.insert(layer, stored);
    m_state->clearDeadLetter(p.id(), layer);
    m_state->journalFinished(p.journalEntry.value(layer), JournalEntry::Status::Applied);
    ++report.written[layer];
    if (onWriteApplied)
        onWriteApplied(p.id(), layer, operationOf(stored));
}

void PlanExecutor::takeMintedIds(Progress &p, Layer layer, const Contact &stored)
{
    for (auto it = m_settings.mintedBy.cbegin(); it != m_settings.mintedBy.cend(); ++it) {
        const QString minted = stored.text(it.key());
        if (it.value() != layer || minted.isEmpty() || minted == p.target.text(it.key()))
            continue;
        p.target.setValue(it.key(), minted);
        p.targetHash = ContentHash::of(p.target);
        QJsonObject meta = p.target.value(field::SyncMeta).value<QJsonValue>().toObject();
        meta.insert(QStringLiteral("hash"), p.targetHash);
        p.target.setValue(field::SyncMeta, QVariant::fromValue(QJsonValue(meta)));
        p.targetGrew = true;
    }
}

QList<int> PlanExecutor::staleAfterMinting(const QList<Progress> &progress, Layer layer) const
{
    QList<int> stale;
    for (int i = 0; i < progress.size(); ++i) {
        const Progress &p = progress.at(i);
        if (!p.targetGrew || p.committedHash != p.targetHash || !p.holding.contains(layer))
            continue;
        if (ContentHash::of(p.holding.value(layer)) != p.targetHash)
            stale.append(i);
    }
    return stale;
}

void PlanExecutor::retireStrays(QList<Progress> &progress, CycleReport &report)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Progress &p : std::as_const(progress)) {
        if (p.committedHash.isEmpty())
            continue; // the matched contact's result landed nowhere yet: the stray waits for the next cycle
        for (const MergedStray &stray : std::as_const(p.contact->strays)) {
            Contact tombstone = stray.row;
            tombstone.setValue(field::DeletedAt, now);
            ExpectedVersions expected;
            expected.expect(stray.id, stray.row);
            const qint64 entry
                = m_state->journalPlanned(m_settings.cycleId, stray.id, stray.layer, QStringLiteral("merged duplicate"),
                                          QJsonObject{{QStringLiteral("into"), p.id()}});
            WriteResult result;
            try {
                result = m_connectors.value(stray.layer)->writeBatch({tombstone}, expected);
            } catch (const ConnectorError &error) {
                StateTransaction transaction(m_state);
                m_state->journalFinished(entry, JournalEntry::Status::Failed, QString::fromUtf8(error.what()));
                transaction.commit();
                report.errors << QString::fromUtf8(error.what());
                return;
            }
            StateTransaction transaction(m_state);
            if (result.stored.isEmpty()) {
                m_state->journalFinished(entry, JournalEntry::Status::Skipped,
                                         QStringLiteral("the duplicate's row changed since it was read; merged again "
                                                        "by the next cycle"));
            } else {
                m_state->addAlias(stray.id, p.id(), stray.layer);
                m_state->markConflictsApplied(stray.id); // a person's "merge", if it was one, is carried out
                m_state->journalFinished(entry, JournalEntry::Status::Applied,
                                         QStringLiteral("merged into contact %1; its row is a tombstone").arg(p.id()));
            }
            transaction.commit();
        }
    }
}

} // namespace tf
