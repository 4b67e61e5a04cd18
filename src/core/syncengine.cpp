#include "core/syncengine.h"

#include "core/contactcodec.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/logging.h"
#include "core/planexecutor.h"
#include "core/uuid7.h"
#include "core/valuegate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace tf {

namespace {

const QString kInterrupted = QStringLiteral("interrupted before completion; re-planned by cycle %1");

// How often each layer is asked for contacts it lost without a trace (a scan of every record; Twenty's destroy).
constexpr qint64 kVanishedCheckIntervalSecs = 6 * 3600;
// Change pages read ahead for the mass-delete guard are kept for the cycle up to this many contacts; beyond,
// they are read again page by page (memory stays bounded on a huge initial sync).
constexpr qsizetype kReadAheadKept = 20000;
// Contacts a layer changed while their write was planned are re-read and re-planned this many times per cycle;
// past that, the next cycle picks them up (their change is after the watermark).
constexpr int kReplanRounds = 2;

QString vanishedCheckedKey(Layer layer)
{
    return QStringLiteral("vanished_checked_at:") + layerName(layer);
}

QList<Contact> stubsFor(const QStringList &contactIds)
{
    QList<Contact> stubs;
    for (const QString &id : contactIds) {
        Contact stub;
        stub.setId(id);
        stubs.append(stub);
    }
    return stubs;
}

QJsonObject conflictValues(const FieldConflict &conflict)
{
    const FieldSpec &spec = FieldRegistry::field(conflict.field);
    QJsonObject values;
    for (auto it = conflict.values.cbegin(); it != conflict.values.cend(); ++it)
        values.insert(layerName(it.key()), ContactCodec::valueToJson(spec, it.value()));
    return values;
}

// Whether a value a contact new to the sync sets agrees with an existing contact's: equal, or for a list (emails,
// phones, tags) every entry it lists is one the existing contact lists too (one address typed of several known).
bool agrees(const FieldSpec &spec, const QVariant &candidate, const QVariant &existing)
{
    if (spec.kind != FieldKind::StringList)
        return ContactNormalizer::valuesEqual(spec, candidate, existing);
    const QStringList known = ContactNormalizer::normalizedValue(spec, existing).toStringList();
    const QStringList typed = ContactNormalizer::normalizedValue(spec, candidate).toStringList();
    return std::all_of(typed.cbegin(), typed.cend(), [&known](const QString &entry) { return known.contains(entry); });
}

// The content fields a contact new to the sync sets differently from an existing contact: identifiers and
// timestamps of its own record do not count.
QStringList disagreeingFields(const Contact &candidate, const Contact &existing)
{
    static const QStringList ownRecord
        = {field::ContactId, field::CrmId, field::CreatedAt, field::UpdatedAt, field::SyncMeta};
    QStringList fields;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!spec.isContent() || ownRecord.contains(spec.name) || candidate.isNull(spec.index))
            continue;
        if (!agrees(spec, candidate.value(spec.index), existing.value(spec.index)))
            fields.append(spec.name);
    }
    return fields;
}

} // namespace

struct SyncEngine::Group {
    Layer source = Layer::Local;
    bool reread = false; // every layer's version is read, the page only names ids
    QStringList ids;
    QHash<QString, QMap<Layer, Contact>> versions;
    QHash<QString, QMap<Layer, Contact>> proposals; // a merged duplicate's values, as its layer's edit (foldStrays)
    QHash<QString, MergedStray> strays;             // a new contact's id → its row, merged into `strayTarget`
    QHash<QString, QString> strayTarget;
    QSet<QString> heldDuplicates;     // new contacts waiting for a person's answer
    QSet<QString> answeredDuplicates; // new contacts whose answer this group carries out
    Resolutions resolutions;          // contact → field → layer chosen by a person
};

struct SyncEngine::SourceReads {
    QList<ChangePage> pages; // kept pages, in order; empty with `kept` false: read them again
    bool kept = true;
    int contacts = 0;
};

SyncEngine::SyncEngine(StateDatabase *state, QMap<Layer, Connector *> connectors, SyncSettings settings,
                       QObject *parent)
    : QObject(parent)
    , m_state(state)
    , m_connectors(std::move(connectors))
    , m_settings(std::move(settings))
{
    qRegisterMetaType<tf::CycleReport>();
    qRegisterMetaType<tf::Layer>();
    for (auto it = m_connectors.cbegin(); it != m_connectors.cend(); ++it) {
        const Layer layer = it.key();
        // Direct: the connector waits on this thread, inside a cycle, and the state database is this thread's.
        connect(
            it.value(), &Connector::waiting, this,
            [this, layer](qint64 ms, const QString &reason) { noteWait(layer, ms, reason); }, Qt::DirectConnection);
    }
}

void SyncEngine::noteWait(Layer layer, qint64 ms, const QString &reason)
{
    qCInfo(lcEngine).noquote() << layerName(layer) << "waits" << ms << "ms:" << reason;
    try {
        m_state->setLayerWait(layer, QDateTime::currentDateTimeUtc().addMSecs(ms), reason);
    } catch (const StateError &error) {
        qCWarning(lcEngine).noquote() << "could not note the wait:" << error.what();
    }
    emit waiting(layer, ms, reason);
}

QList<Layer> SyncEngine::fanOutOrder() const
{
    QList<Layer> order;
    for (Layer layer : allLayers()) {
        if (m_connectors.contains(layer))
            order.append(layer);
    }
    return order;
}

PlannerSettings SyncEngine::plannerSettings(const CycleOptions &options) const
{
    PlannerSettings settings;
    settings.layers = fanOutOrder();
    settings.policy = m_settings.conflictPolicy;
    settings.pushSource = options.pushSource;
    settings.cycleId = m_cycleId;
    for (Layer layer : settings.layers) {
        const Connector *connector = m_connectors.value(layer);
        for (const QString &field : connector->mintedFields())
            settings.mintedBy.insert(field, layer);
        if (connector->stampsDeletionTimes())
            settings.stampingLayers.insert(layer);
    }
    return settings;
}

CycleReport SyncEngine::runCycle(const CycleOptions &options)
{
    CycleReport report;
    report.cycleId = m_cycleId = createUuid7();
    report.started = QDateTime::currentDateTimeUtc();
    report.dryRun = options.dryRun;
    m_heldThisCycle.clear();
    m_touchedThisCycle.clear();
    m_refusedThisCycle.clear();
    m_stopRequested = false;
    emit cycleStarted(m_cycleId);

    QList<Layer> locked;
    try {
        for (Layer layer : fanOutOrder()) {
            if (!m_connectors[layer]->tryAcquireCycleLock()) {
                report.errors << QStringLiteral("%1: another sync instance is running a cycle against this layer")
                                     .arg(layerName(layer));
                break;
            }
            locked.append(layer);
        }
        if (report.errors.isEmpty())
            runSteps(options, report);
    } catch (const ConnectorError &error) {
        report.errors << QString::fromUtf8(error.what());
    } catch (const StateError &error) {
        report.errors << QString::fromUtf8(error.what());
    }

    for (Layer layer : std::as_const(locked))
        m_connectors[layer]->releaseCycleLock();
    report.finished = QDateTime::currentDateTimeUtc();
    if (!options.dryRun) {
        try {
            m_state->setMeta(QStringLiteral("last_cycle"), QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact)));
            if (report.clean())
                m_state->setMeta(QStringLiteral("last_sync_time"), report.finished.toString(Qt::ISODateWithMs));
            const int total = m_state->meta(QStringLiteral("total_synced")).toInt() + report.totalWritten();
            m_state->setMeta(QStringLiteral("total_synced"), QString::number(total));
        } catch (const StateError &error) {
            report.errors << QString::fromUtf8(error.what());
        }
    }
    for (const QString &error : std::as_const(report.errors))
        qCWarning(lcEngine).noquote() << error;
    emit cycleFinished(report);
    return report;
}

void SyncEngine::runSteps(const CycleOptions &options, CycleReport &report)
{
    if (!options.dryRun)
        recoverInterruptedJournal();

    if (!options.choices.isEmpty()) {
        processPage(kCanonicalLayer, stubsFor(options.choices.keys()), true, options, {}, report);
        return;
    }

    // Read ahead: every delete this cycle would make is counted before anything is written.
    QSet<QString> deletes;
    QMap<Layer, SourceReads> reads;
    for (Layer source : sourceLayers(options))
        reads.insert(source, readAhead(source, options, deletes));
    QList<Layer> vanishedChecked;
    const QMap<Layer, QList<Contact>> vanished
        = options.pushSource ? QMap<Layer, QList<Contact>>() : vanishedTombstones(options, deletes, vanishedChecked);
    if (!guardMassDelete(deletes, options, report))
        return;

    // Conflicts and possible duplicates a person answered since the last cycle: re-read those contacts everywhere.
    Resolutions resolutions;
    QStringList answered;
    for (const ConflictRecord &record : m_state->resolvedUnappliedConflicts()) {
        answered.append(record.contactId);
        if (const auto layer = layerFromName(record.resolution))
            resolutions[record.contactId].insert(record.field, *layer);
    }
    answered.removeDuplicates();
    if (!answered.isEmpty() && !options.pushSource)
        processPage(kCanonicalLayer, stubsFor(answered), true, options, resolutions, report);

    // Before the changes are applied: a full rescan would otherwise re-create what a layer lost.
    for (auto it = vanished.cbegin(); it != vanished.cend(); ++it) {
        for (qsizetype offset = 0; offset < it.value().size() && report.clean(); offset += m_settings.batchSize)
            processPage(it.key(), it.value().mid(offset, m_settings.batchSize), false, options, {}, report);
    }
    if (!options.dryRun && report.clean()) {
        const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        for (Layer layer : std::as_const(vanishedChecked))
            m_state->setMeta(vanishedCheckedKey(layer), now);
    }

    for (auto it = reads.begin(); it != reads.end(); ++it) {
        if (!report.clean() || m_stopRequested)
            break;
        processSource(it.key(), it.value(), options, report);
    }
}

QList<Layer> SyncEngine::sourceLayers(const CycleOptions &options) const
{
    QList<Layer> sources = options.pushSource ? QList<Layer>{*options.pushSource}
        : options.sourceLayers.isEmpty()      ? fanOutOrder()
                                              : options.sourceLayers;
    sources.removeIf([this](Layer layer) { return !m_connectors.contains(layer); });
    return sources;
}

void SyncEngine::recoverInterruptedJournal()
{
    const QList<JournalEntry> unfinished = m_state->unfinishedJournal();
    if (unfinished.isEmpty())
        return;
    StateTransaction transaction(m_state);
    for (const JournalEntry &entry : unfinished)
        m_state->journalFinished(entry.id, JournalEntry::Status::Failed, kInterrupted.arg(m_cycleId));
    transaction.commit();
    qCInfo(lcEngine) << unfinished.size() << "journal entries of an interrupted cycle will be re-planned";
}

// One source layer's changes since its watermark, read to count the deletes among them. The pages are kept for
// the cycle while they are few, so the common cycle reads each change once.
SyncEngine::SourceReads SyncEngine::readAhead(Layer source, const CycleOptions &options, QSet<QString> &deletes)
{
    SourceReads reads;
    Connector *connector = m_connectors.value(source);
    const auto count = [&](const QList<Contact> &contacts) {
        for (const Contact &contact : contacts) {
            if (!contact.isDeleted() || deletes.contains(contact.id()))
                continue;
            const std::optional<Contact> base = m_state->base(
                m_state->aliasTarget(contact.id()).isEmpty() ? contact.id() : m_state->aliasTarget(contact.id()));
            if (base && !base->isDeleted())
                deletes.insert(base->id());
        }
        reads.contacts += int(contacts.size());
    };
    if (options.pushSource && !options.contactIds.isEmpty()) {
        ChangePage page;
        page.contacts = connector->readByIds(options.contactIds);
        count(page.contacts);
        reads.pages.append(page);
        return reads;
    }
    QString watermark = (options.fullRescan || options.pushSource) ? QString() : m_state->watermark(source);
    for (;;) {
        ChangePage page = connector->readChanges(watermark, m_settings.batchSize);
        count(page.contacts);
        if (reads.kept && reads.contacts > kReadAheadKept) {
            reads.kept = false;
            reads.pages.clear();
        }
        if (reads.kept)
            reads.pages.append(page);
        if (!page.hasMore || page.nextWatermark == watermark)
            break;
        watermark = page.nextWatermark;
    }
    return reads;
}

// A contact a layer lost without a trace reads as its base with a tombstone from that layer, so it goes through the
// merge, the mass-delete guard and the journal like any delete. Asked on a full rescan and every few hours.
QMap<Layer, QList<Contact>> SyncEngine::vanishedTombstones(const CycleOptions &options, QSet<QString> &deletes,
                                                           QList<Layer> &checkedLayers)
{
    QMap<Layer, QList<Contact>> tombstones;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (Layer layer : fanOutOrder()) {
        const QDateTime checked = QDateTime::fromString(m_state->meta(vanishedCheckedKey(layer)), Qt::ISODateWithMs);
        if (!options.fullRescan && checked.isValid() && checked.secsTo(now) < kVanishedCheckIntervalSecs)
            continue;
        for (const QString &id : m_connectors[layer]->vanishedContactIds(m_state->liveContactsHeldBy(layer))) {
            if (std::optional<Contact> base = m_state->base(id)) {
                base->setValue(field::DeletedAt, now);
                tombstones[layer].append(*base);
                deletes.insert(id);
            }
        }
        if (tombstones.contains(layer))
            qCInfo(lcEngine).noquote() << QStringLiteral(
                                              "%1 lost %2 contacts without a trace; they count as deleted there")
                                              .arg(layerName(layer))
                                              .arg(tombstones.value(layer).size());
        checkedLayers.append(layer);
    }
    return tombstones;
}

// The mass-delete guard sees the whole cycle's deletes before the first write: over the share, nothing is written.
bool SyncEngine::guardMassDelete(const QSet<QString> &deletes, const CycleOptions &options, CycleReport &report)
{
    const int count = int(deletes.size());
    const int total = std::max(m_state->baseCount(), count);
    report.plannedDeletes = count;
    if (options.allowMassDelete || count < 3 || double(count) <= m_settings.maxDeleteShare * double(total))
        return true;
    report.massDeleteBlocked = true;
    report.errors << QStringLiteral("mass-delete guard: this cycle would delete %1 of %2 contacts (more than %3%); "
                                    "nothing was written. Confirm with `tfsync run --allow-mass-delete` or in the app.")
                         .arg(count)
                         .arg(total)
                         .arg(m_settings.maxDeleteShare * 100.0);
    emit massDeleteBlocked(count, total);
    return false;
}

void SyncEngine::processSource(Layer source, SourceReads &reads, const CycleOptions &options, CycleReport &report)
{
    const bool advance = !options.dryRun && !options.pushSource;
    if (reads.kept) {
        for (const ChangePage &page : std::as_const(reads.pages)) {
            report.pulled[source] += int(page.contacts.size());
            if (!processPage(source, page.contacts, false, options, {}, report))
                return;
            // Only past what is applied: a crash before this line re-reads the page.
            if (advance && !page.nextWatermark.isEmpty())
                m_state->setWatermark(source, page.nextWatermark);
            if (m_stopRequested)
                return;
        }
        return;
    }
    Connector *connector = m_connectors.value(source);
    QString watermark = (options.fullRescan || options.pushSource) ? QString() : m_state->watermark(source);
    for (;;) {
        const ChangePage page = connector->readChanges(watermark, m_settings.batchSize);
        report.pulled[source] += int(page.contacts.size());
        if (!processPage(source, page.contacts, false, options, {}, report))
            return;
        if (advance && page.nextWatermark != watermark)
            m_state->setWatermark(source, page.nextWatermark);
        if (!page.hasMore || m_stopRequested || page.nextWatermark == watermark)
            return;
        watermark = page.nextWatermark;
    }
}

bool SyncEngine::chosenLayersHold(const QString &contactId, const QMap<QString, Layer> &choices,
                                  const QMap<Layer, Contact> &versions, CycleReport &report) const
{
    if (!choices.isEmpty() && versions.isEmpty()) {
        report.errors << QStringLiteral("contact %1 is in no layer: nothing to choose from").arg(contactId);
        return false;
    }
    for (auto it = choices.cbegin(); it != choices.cend(); ++it) {
        if (!versions.contains(it.value())) {
            // The person chose a value they saw; if the layer lost the contact since, that value is gone.
            report.errors << QStringLiteral("%1 no longer holds contact %2: its %3 cannot be chosen")
                                 .arg(layerName(it.value()), contactId, it.key());
            return false;
        }
    }
    return true;
}

CycleReport SyncEngine::applyChoices(const QString &contactId, const QMap<QString, Layer> &choices)
{
    CycleReport refused;
    if (contactId.isEmpty())
        refused.errors << QStringLiteral("no contact id given");
    for (auto it = choices.cbegin(); it != choices.cend(); ++it) {
        const FieldSpec *spec = FieldRegistry::find(it.key());
        if (!spec || !spec->isContent() || spec->name == field::ContactId)
            refused.errors
                << QStringLiteral("'%1' is not a content field a person can choose a value for").arg(it.key());
        else if (!m_connectors.contains(it.value()))
            refused.errors << QStringLiteral("%1 is not connected, so it has no value of %2 to choose")
                                  .arg(layerName(it.value()), it.key());
    }
    if (!refused.errors.isEmpty())
        return refused;
    CycleOptions options;
    options.choices.insert(contactId, choices);
    return runCycle(options);
}

// Every layer's current version of `ids`. The page already holds the source layer's version of what it reported,
// except of contacts this cycle wrote since the page was read ahead: those are read again.
bool SyncEngine::loadVersions(Group &group, const QStringList &ids, CycleReport &report)
{
    for (Layer layer : fanOutOrder()) {
        QStringList wanted;
        for (const QString &id : ids) {
            if (group.reread || layer != group.source || !group.versions.value(id).contains(layer))
                wanted.append(id);
        }
        wanted.removeDuplicates();
        if (wanted.isEmpty())
            continue;
        try {
            for (const Contact &contact : m_connectors[layer]->readByIds(wanted))
                group.versions[contact.id()].insert(layer, contact);
        } catch (const ConnectorError &error) {
            report.errors << QString::fromUtf8(error.what());
            return false;
        }
    }
    return true;
}

// A contact new to the sync whose primary email a contact it has already holds may be the same person entered twice,
// or another person sharing an address (a family, info@company). It is merged silently only when every field it
// sets agrees with that contact; otherwise a person decides (merge, or keep both), and until then it waits.
void SyncEngine::matchPossibleDuplicates(Group &group)
{
    QHash<QString, QString> seenEmails;
    for (const QString &id : std::as_const(group.ids)) {
        const QMap<Layer, Contact> &versions = group.versions.value(id);
        if (versions.isEmpty() || !m_state->baseHash(id).isEmpty())
            continue;
        const Layer layer = versions.firstKey();
        if (m_connectors.value(layer)->keepsPrimaryEmailsUnique())
            continue;
        const Contact &candidate = versions.first();
        const QString email = ContactNormalizer::normalizedEmail(candidate.list(field::Emails).value(0));
        if (email.isEmpty())
            continue;
        QString target = m_state->contactIdByPrimaryEmail(email);
        const std::optional<Contact> existing = target.isEmpty() ? std::nullopt : m_state->base(target);
        if (!existing || target == id || existing->isDeleted()) {
            seenEmails.insert(email, id);
            continue;
        }
        const std::optional<ConflictRecord> decision = m_state->possibleDuplicate(id);
        const QStringList differing = disagreeingFields(candidate, *existing);
        bool merge = differing.isEmpty();
        if (decision) {
            if (decision->open) {
                group.heldDuplicates.insert(id);
                continue;
            }
            merge = decision->resolution == QLatin1String(ConflictRecord::kMerge);
        } else if (!merge) {
            m_state->addPossibleDuplicate(
                id, target,
                QJsonObject{{QStringLiteral("email"), email},
                            {QStringLiteral("layer"), layerName(layer)},
                            {QStringLiteral("differing"), QJsonArray::fromStringList(differing)}});
            qCInfo(lcEngine).noquote() << QStringLiteral("contact %1 from %2 shares primary email %3 with contact %4 "
                                                         "but differs in %5: held as a possible duplicate")
                                              .arg(id, layerName(layer), email, target,
                                                   differing.join(QStringLiteral(", ")));
            group.heldDuplicates.insert(id);
            continue;
        }
        if (!merge) {
            group.answeredDuplicates.insert(id); // keep both: it syncs as a contact of its own
            seenEmails.insert(email, id);
            continue;
        }
        MergedStray stray;
        stray.id = id;
        stray.layer = layer;
        stray.row = candidate;
        group.strays.insert(id, stray);
        group.strayTarget.insert(id, target);
        if (!group.ids.contains(target))
            group.ids.append(target);
        if (decision)
            group.answeredDuplicates.insert(id);
    }
}

// A merged duplicate's values are its layer's proposal for the matched contact: what the person typed in again is
// an edit of that contact (only what it sets and disagrees with, so what the duplicate lacks, or the one address of
// several it repeats, is not taken as erased).
void SyncEngine::foldStrays(Group &group)
{
    for (auto it = group.strays.cbegin(); it != group.strays.cend(); ++it) {
        const QString target = group.strayTarget.value(it.key());
        const MergedStray &stray = it.value();
        Contact proposal = group.versions.value(target).value(stray.layer, stray.row);
        for (const QString &name : disagreeingFields(stray.row, proposal))
            proposal.setValue(name, stray.row.value(name));
        proposal.setId(target);
        group.proposals[target].insert(stray.layer, proposal);
    }
}

// A plan whose write landed in some layer but whose commit never happened (the process killed between the two, or
// the answer lost): its commit is replayed, so the layer holding the sync's write is not taken for a person's edit
// and what the plan had merged from the other layers is not lost. A plan that landed nowhere is simply forgotten:
// its inputs are still in the layers.
void SyncEngine::replayLostCommits(const Group &group, const QMap<QString, Layer> &mintedBy)
{
    for (const QString &id : group.ids) {
        const std::optional<PlannedCommit> commit = m_state->plannedCommit(id);
        if (!commit)
            continue;
        QList<Layer> landed;
        const QMap<Layer, Contact> versions = group.versions.value(id);
        for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
            if (SyncPlanner::intentHash(it.value(), mintedBy) == commit->intentHash)
                landed.append(it.key());
        }
        StateTransaction transaction(m_state);
        if (!landed.isEmpty()) {
            m_state->setBase(commit->target);
            for (auto it = commit->versions.cbegin(); it != commit->versions.cend(); ++it)
                m_state->setLayerState(id, it.key(), it.value(), commit->inSync.contains(it.key()));
            for (Layer layer : std::as_const(landed))
                m_state->setLayerState(id, layer, versions.value(layer), true);
            qCInfo(lcEngine).noquote() << QStringLiteral("contact %1: the commit of an interrupted write to %2 replayed")
                                              .arg(id, layerName(landed.first()));
        }
        m_state->clearPlannedCommit(id);
        transaction.commit();
    }
}

ContactState SyncEngine::contactState(const Group &group, const QString &contactId) const
{
    ContactState state;
    state.contactId = contactId;
    state.base = m_state->base(contactId);
    state.versions = group.versions.value(contactId);
    state.proposals = group.proposals.value(contactId);
    for (Layer layer : fanOutOrder()) {
        if (const std::optional<LayerRecord> record = m_state->layerRecord(contactId, layer))
            state.recorded.insert(layer, *record);
        const QString refused = m_state->deadLetterHash(contactId, layer);
        if (!refused.isEmpty())
            state.deadLetterHashes.insert(layer, refused);
    }
    state.resolutions = group.resolutions.value(contactId);
    return state;
}

// The merge's decisions go to the journal and the conflict queue before any write.
void SyncEngine::recordDecisions(const ContactPlan &plan, const QMap<QString, Layer> &choices,
                                 const QMap<Layer, Contact> &versions)
{
    const QString &id = plan.contactId;
    for (const FieldConflict &conflict : plan.merge.conflicts) {
        if (!conflict.winner) {
            if (!m_state->hasOpenConflict(id, conflict.field)) {
                const FieldSpec &spec = FieldRegistry::field(conflict.field);
                m_state->addConflict(
                    id, conflict.field, conflictValues(conflict),
                    QJsonObject{{QStringLiteral("value"), ContactCodec::valueToJson(spec, conflict.base)}});
            }
            continue;
        }
        const qint64 entry = m_state->journalPlanned(m_cycleId, id, *conflict.winner, QStringLiteral("conflict"),
                                                     QJsonObject{{QStringLiteral("field"), conflict.field},
                                                                 {QStringLiteral("values"), conflictValues(conflict)},
                                                                 {QStringLiteral("rule"), conflict.rule}});
        m_state->journalFinished(
            entry, JournalEntry::Status::Applied,
            QStringLiteral("%1 won %2 (%3)").arg(layerName(*conflict.winner), conflict.field, conflict.rule));
    }
    for (auto it = choices.cbegin(); it != choices.cend(); ++it) {
        const FieldSpec &spec = FieldRegistry::field(it.key());
        const QVariant value = ContactNormalizer::normalizedValue(spec, versions.value(it.value()).value(spec.index));
        const qint64 entry
            = m_state->journalPlanned(m_cycleId, id, it.value(), QStringLiteral("choice"),
                                      QJsonObject{{QStringLiteral("field"), spec.name},
                                                  {QStringLiteral("value"), ContactCodec::valueToJson(spec, value)}});
        m_state->journalFinished(
            entry, JournalEntry::Status::Applied,
            QStringLiteral("a person chose the %1 value of %2").arg(layerName(it.value()), spec.name));
    }
    // The person decided these fields: their open conflicts are answered, and applied with this result.
    if (!choices.isEmpty()) {
        for (const ConflictRecord &record : m_state->conflicts()) {
            if (record.contactId == id && choices.contains(record.field))
                m_state->resolveConflict(record.id, layerName(choices.value(record.field)));
        }
    }
}

bool SyncEngine::processPage(Layer source, const QList<Contact> &reported, bool reread, const CycleOptions &options,
                             const Resolutions &resolutions, CycleReport &report, int round)
{
    if (reported.isEmpty())
        return true;
    Group group;
    group.source = source;
    group.reread = reread;
    group.resolutions = resolutions;
    for (auto it = options.choices.cbegin(); it != options.choices.cend(); ++it) {
        for (auto choice = it.value().cbegin(); choice != it.value().cend(); ++choice)
            group.resolutions[it.key()].insert(choice.key(), choice.value());
    }
    for (const Contact &contact : reported) {
        const QString id = contact.id();
        if (id.isEmpty() || !m_state->aliasTarget(id).isEmpty())
            continue; // a merged duplicate's old row: it lives on under the other id
        if (!group.ids.contains(id))
            group.ids.append(id);
        if (!reread && !m_touchedThisCycle.contains(id))
            group.versions[id].insert(source, contact);
    }
    if (!loadVersions(group, group.ids, report))
        return false;
    // Before anything else looks at them (duplicate matching included): a contact some layer holds a value of that
    // not every layer can store is refused whole, and the rest of the page goes on.
    ValueGate gate(m_state, m_cycleId, options.dryRun);
    QSet<QString> admitted;
    group.ids.removeIf([&](const QString &id) {
        // Refused once per cycle: another layer's page naming the contact again (an echo) brings nothing new.
        if (m_refusedThisCycle.contains(id))
            return true;
        if (!gate.admit(id, group.versions.value(id), report)) {
            m_refusedThisCycle.insert(id);
            return true;
        }
        admitted.insert(id);
        return false;
    });
    if (!options.pushSource) {
        matchPossibleDuplicates(group);
        if (!group.strayTarget.isEmpty() && !loadVersions(group, group.strayTarget.values(), report))
            return false;
        foldStrays(group);
    }

    if (!options.dryRun)
        replayLostCommits(group, plannerSettings(options).mintedBy);

    const SyncPlanner planner(plannerSettings(options));
    QList<PlannedContact> ready;
    for (const QString &id : std::as_const(group.ids)) {
        if (group.strays.contains(id) || group.heldDuplicates.contains(id))
            continue;
        const QMap<Layer, Contact> &versions = group.versions[id];
        if (!admitted.contains(id) && (m_refusedThisCycle.contains(id) || !gate.admit(id, versions, report))) {
            m_refusedThisCycle.insert(id);
            continue; // a contact a merged duplicate belongs to, read after the gate above
        }
        const QMap<QString, Layer> choices = options.choices.value(id);
        if (!chosenLayersHold(id, choices, versions, report) || (versions.isEmpty() && !group.proposals.contains(id)))
            continue;
        ++report.contactsProcessed;
        PlannedContact contact;
        contact.plan = planner.plan(contactState(group, id));
        contact.versions = versions;
        contact.answersConflicts = group.resolutions.contains(id) || group.answeredDuplicates.contains(id);
        report.conflicts += int(contact.plan.merge.conflicts.size());
        for (const FieldConflict &conflict : std::as_const(contact.plan.merge.conflicts))
            emit conflictDetected(id, conflict.field);
        if (!options.dryRun)
            recordDecisions(contact.plan, contact.plan.merge.held ? QMap<QString, Layer>() : choices, versions);
        if (contact.plan.merge.held) {
            m_heldThisCycle.insert(id);
            continue;
        }
        if (contact.plan.echo)
            ++report.echoesSuppressed;
        for (const LayerWrite &write : std::as_const(contact.plan.writes))
            report.plan.append(PlannedWrite{id, write.layer, write.operation, write.fields});
        for (auto it = group.strays.cbegin(); it != group.strays.cend(); ++it) {
            if (group.strayTarget.value(it.key()) == id)
                contact.strays.append(it.value());
        }
        ready.append(contact);
    }
    m_heldThisCycle.unite(group.heldDuplicates);
    report.held = int(m_heldThisCycle.size());
    if (options.dryRun)
        return true;

    PlanExecutor::Settings settings;
    settings.layers = fanOutOrder();
    settings.batchSize = m_settings.batchSize;
    settings.cycleId = m_cycleId;
    settings.mintedBy = plannerSettings(options).mintedBy;
    PlanExecutor executor(m_state, m_connectors, settings);
    executor.onWriteApplied
        = [this](const QString &id, Layer layer, const QString &operation) { emit writeApplied(id, layer, operation); };
    const PlanExecutor::Outcome outcome = executor.execute(ready, report);
    for (const PlannedContact &contact : std::as_const(ready))
        m_touchedThisCycle.insert(contact.plan.contactId);
    if (!outcome.completed)
        return false;
    emit progress(source, report.contactsProcessed);
    if (outcome.moved.isEmpty())
        return true;
    if (round >= kReplanRounds) {
        qCInfo(lcEngine) << outcome.moved.size()
                         << "contacts changed again while re-planned; the next cycle merges them";
        return true;
    }
    Resolutions movedResolutions;
    for (const QString &id : outcome.moved) {
        if (group.resolutions.contains(id))
            movedResolutions.insert(id, group.resolutions.value(id));
    }
    return processPage(source, stubsFor(outcome.moved), true, options, movedResolutions, report, round + 1);
}

} // namespace tf
