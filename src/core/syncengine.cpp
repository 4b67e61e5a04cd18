#include "core/syncengine.h"

#include "core/contactcodec.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/logging.h"
#include "core/uuid7.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf {

namespace {

const QString kInterrupted = QStringLiteral("interrupted before completion; re-planned by cycle %1");

QStringList differingContentFields(const Contact &current, const Contact &target)
{
    QStringList fields;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (spec.isContent() && !ContactNormalizer::valuesEqual(spec, current.value(spec.index), target.value(spec.index)))
            fields.append(spec.name);
    }
    return fields;
}

// How often each layer is asked for contacts it lost without a trace (a scan of every record; Twenty's destroy).
constexpr qint64 kVanishedCheckIntervalSecs = 6 * 3600;

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

} // namespace

struct SyncEngine::Group {
    Layer source = Layer::Local;
    bool push = false;
    QStringList ids;
    QHash<QString, QMap<Layer, Contact>> versions;
    QHash<QString, Contact> merged;
    QHash<QString, QString> strays;                   // a source-layer id matched to another contact by email
    QHash<QString, QMap<QString, Layer>> resolutions; // contact → field → layer chosen by a person
    bool rereadAll = false;                           // every layer's version is read, the page only names ids
    QMap<Layer, QStringList> writes;                  // layer → contacts to write there
    QHash<QString, qint64> journal;                   // "contact|layer" → journal entry
    QHash<QString, QMap<Layer, QString>> hashes;      // each layer's hash of the result, committed with the base
    QStringList crmIdMinted;                          // contacts the CRM gave a new record id in this group
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

CycleReport SyncEngine::runCycle(const CycleOptions &options)
{
    CycleReport report;
    report.cycleId = m_cycleId = createUuid7();
    report.started = QDateTime::currentDateTimeUtc();
    report.dryRun = options.dryRun;
    m_deletesThisCycle = 0;
    m_heldThisCycle.clear();
    m_stopRequested = false;
    emit cycleStarted(m_cycleId);

    QList<Layer> locked;
    for (Layer layer : fanOutOrder()) {
        if (!m_connectors[layer]->tryAcquireCycleLock()) {
            report.errors << QStringLiteral("%1: another sync instance is running a cycle against this layer")
                                 .arg(layerName(layer));
            break;
        }
        locked.append(layer);
    }

    try {
        if (report.errors.isEmpty()) {
            if (!options.dryRun)
                recoverInterruptedJournal(report);

            // Conflicts a person resolved since the last cycle: re-read those contacts everywhere and apply.
            QMap<QString, QMap<QString, Layer>> resolutions;
            for (const ConflictRecord &record : m_state->resolvedUnappliedConflicts()) {
                if (const auto layer = layerFromName(record.resolution))
                    resolutions[record.contactId].insert(record.field, *layer);
            }
            if (!resolutions.isEmpty() && !options.pushSource && options.choices.isEmpty())
                processPage(kCanonicalLayer, stubsFor(resolutions.keys()), options, resolutions, report);
            if (!options.choices.isEmpty())
                processPage(kCanonicalLayer, stubsFor(options.choices.keys()), options, {}, report);

            // Before the changes are read: a full rescan would otherwise re-create what a layer lost.
            if (!options.pushSource && options.choices.isEmpty())
                reconcileVanished(options, report);

            const QList<Layer> sources = !options.choices.isEmpty() ? QList<Layer>{}
                : options.pushSource                                ? QList<Layer>{*options.pushSource}
                : options.sourceLayers.isEmpty()            ? fanOutOrder()
                                                            : options.sourceLayers;
            for (Layer source : sources) {
                Connector *connector = m_connectors.value(source);
                if (!connector || !report.clean() || m_stopRequested)
                    continue;
                if (options.pushSource && !options.contactIds.isEmpty()) {
                    processPage(source, connector->readByIds(options.contactIds), options, {}, report);
                    continue;
                }
                QString watermark = (options.fullRescan || options.pushSource) ? QString() : m_state->watermark(source);
                for (;;) {
                    const ChangePage page = connector->readChanges(watermark, m_settings.batchSize);
                    report.pulled[source] += int(page.contacts.size());
                    if (!processPage(source, page.contacts, options, {}, report))
                        break;
                    // Only past what is applied: a crash before this line re-reads the page.
                    if (!options.dryRun && !options.pushSource && page.nextWatermark != watermark)
                        m_state->setWatermark(source, page.nextWatermark);
                    watermark = page.nextWatermark;
                    if (!page.hasMore || m_stopRequested)
                        break;
                }
            }
        }
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

CycleReport SyncEngine::applyChoices(const QString &contactId, const QMap<QString, Layer> &choices)
{
    CycleReport refused;
    if (contactId.isEmpty())
        refused.errors << QStringLiteral("no contact id given");
    for (auto it = choices.cbegin(); it != choices.cend(); ++it) {
        const FieldSpec *spec = FieldRegistry::find(it.key());
        if (!spec || !spec->isContent() || spec->name == field::ContactId)
            refused.errors << QStringLiteral("'%1' is not a content field a person can choose a value for").arg(it.key());
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

void SyncEngine::applyChosenValues(const QString &contactId, const QMap<QString, Layer> &choices,
                                   const QMap<Layer, Contact> &versions, MergeResult &result, bool dryRun)
{
    for (auto it = choices.cbegin(); it != choices.cend(); ++it) {
        const FieldSpec &spec = FieldRegistry::field(it.key());
        const QVariant value = ContactNormalizer::normalizedValue(spec, versions.value(it.value()).value(spec.index));
        result.merged.setValue(spec.index, value);
        result.fieldSources.insert(spec.name, it.value());
        if (dryRun)
            continue;
        const qint64 entry = m_state->journalPlanned(
            m_cycleId, contactId, it.value(), QStringLiteral("choice"),
            QJsonObject{{QStringLiteral("field"), spec.name}, {QStringLiteral("value"), ContactCodec::valueToJson(spec, value)}});
        m_state->journalFinished(entry, JournalEntry::Status::Applied,
                                 QStringLiteral("a person chose the %1 value of %2").arg(layerName(it.value()), spec.name));
    }
    if (dryRun || choices.isEmpty())
        return;
    // The person decided these fields: their open conflicts are answered, and applied with this result.
    for (const ConflictRecord &record : m_state->conflicts()) {
        if (record.contactId == contactId && choices.contains(record.field))
            m_state->resolveConflict(record.id, layerName(choices.value(record.field)));
    }
}

void SyncEngine::recoverInterruptedJournal(CycleReport &report)
{
    const QList<JournalEntry> unfinished = m_state->unfinishedJournal();
    if (unfinished.isEmpty())
        return;
    m_state->begin();
    for (const JournalEntry &entry : unfinished)
        m_state->journalFinished(entry.id, JournalEntry::Status::Failed, kInterrupted.arg(m_cycleId));
    m_state->commit();
    qCInfo(lcEngine) << unfinished.size() << "journal entries of an interrupted cycle will be re-planned";
    Q_UNUSED(report)
}

QSet<Layer> SyncEngine::changedLayers(const QString &contactId, const QMap<Layer, Contact> &versions) const
{
    QSet<Layer> changed;
    const QString baseHash = m_state->baseHash(contactId);
    for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
        const QString layerHash = m_state->layerHash(contactId, it.key());
        const QString reference = layerHash.isEmpty() ? baseHash : layerHash;
        if (reference.isEmpty() || ContentHash::of(it.value()) != reference)
            changed.insert(it.key());
    }
    return changed;
}

// A contact a layer lost without a trace reads as its base with a tombstone from that layer, so it goes through the
// merge, the mass-delete guard and the journal like any delete. Asked on a full rescan and every few hours.
void SyncEngine::reconcileVanished(const CycleOptions &options, CycleReport &report)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (Layer layer : fanOutOrder()) {
        Connector *connector = m_connectors.value(layer);
        const QString checkedKey = QStringLiteral("vanished_checked_at:") + layerName(layer);
        const QDateTime checked = QDateTime::fromString(m_state->meta(checkedKey), Qt::ISODateWithMs);
        if (!connector || (!options.fullRescan && checked.isValid() && checked.secsTo(now) < kVanishedCheckIntervalSecs))
            continue;
        const QStringList vanished = connector->vanishedContactIds(m_state->liveContactsHeldBy(layer));
        QList<Contact> tombstones;
        for (const QString &id : vanished) {
            if (std::optional<Contact> base = m_state->base(id)) {
                base->setValue(field::DeletedAt, now);
                tombstones.append(*base);
            }
        }
        if (!tombstones.isEmpty())
            qCInfo(lcEngine).noquote() << QStringLiteral("%1 lost %2 contacts without a trace; they count as deleted there")
                                              .arg(layerName(layer))
                                              .arg(tombstones.size());
        for (qsizetype offset = 0; offset < tombstones.size(); offset += m_settings.batchSize) {
            if (!processPage(layer, tombstones.mid(offset, m_settings.batchSize), options, {}, report))
                return;
        }
        if (!options.dryRun)
            m_state->setMeta(checkedKey, now.toString(Qt::ISODateWithMs));
    }
}

bool SyncEngine::loadVersions(Group &group, CycleReport &report)
{
    QStringList wanted = group.ids;
    for (const QString &target : std::as_const(group.strays))
        wanted.append(target);
    wanted.removeDuplicates();
    for (Layer layer : fanOutOrder()) {
        if (layer == group.source && group.strays.isEmpty() && !group.push && !group.rereadAll)
            continue; // the page itself is the source layer's version
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

// A contact new to the sync whose primary email another contact already has is the same person entered twice:
// it is matched to that contact instead of being duplicated (issue: "matched, not duplicated").
void SyncEngine::matchByPrimaryEmail(Layer source, Group &group)
{
    QHash<QString, QString> seenEmails;
    for (const QString &id : std::as_const(group.ids)) {
        const QMap<Layer, Contact> &versions = group.versions[id];
        if (!m_state->baseHash(id).isEmpty() || !versions.contains(source))
            continue;
        const QString email = ContactNormalizer::normalizedEmail(versions.value(source).list(field::Emails).value(0));
        if (email.isEmpty())
            continue;
        QString target = m_state->contactIdByPrimaryEmail(email);
        if (target.isEmpty())
            target = seenEmails.value(email);
        if (!target.isEmpty() && target != id && source != Layer::Crm)
            group.strays.insert(id, target);
        else
            seenEmails.insert(email, id);
    }
}

bool SyncEngine::processPage(Layer source, const QList<Contact> &reported, const CycleOptions &options,
                             const QMap<QString, QMap<QString, Layer>> &resolutions, CycleReport &report)
{
    if (reported.isEmpty())
        return true;
    Group group;
    group.source = source;
    group.push = options.pushSource.has_value();
    group.rereadAll = !resolutions.isEmpty() || !options.choices.isEmpty();
    for (auto it = resolutions.cbegin(); it != resolutions.cend(); ++it)
        group.resolutions.insert(it.key(), it.value());
    for (const Contact &contact : reported) {
        QString id = contact.id();
        if (id.isEmpty() || !m_state->aliasTarget(id).isEmpty())
            continue; // a matched duplicate's old row: it already lives on under the other id
        if (!group.ids.contains(id))
            group.ids.append(id);
        if (!group.rereadAll)
            group.versions[id].insert(source, contact);
    }
    if (group.rereadAll)
        group.versions.clear();
    else if (!group.push)
        matchByPrimaryEmail(source, group);
    if (!loadVersions(group, report))
        return false;
    // The duplicate's values become the source layer's version of the matched contact: what the person typed in
    // again is an edit of that contact (set fields only, so what the duplicate lacks is not taken as erased).
    for (auto it = group.strays.cbegin(); it != group.strays.cend(); ++it) {
        const Contact stray = group.versions[it.key()].value(source);
        Contact asTarget = group.versions[it.value()].value(source, stray);
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            if (spec.isContent() && !stray.isNull(spec.index))
                asTarget.setValue(spec.index, stray.value(spec.index));
        }
        asTarget.setId(it.value());
        group.versions[it.value()].insert(source, asTarget);
        if (!group.ids.contains(it.value()))
            group.ids.append(it.value());
    }

    int deletes = 0;
    QStringList ready;
    for (const QString &id : std::as_const(group.ids)) {
        if (group.strays.contains(id))
            continue;
        const QMap<Layer, Contact> &versions = group.versions[id];
        const QMap<QString, Layer> choices = options.choices.value(id);
        if (!chosenLayersHold(id, choices, versions, report) || versions.isEmpty())
            continue;
        ++report.contactsProcessed;
        const std::optional<Contact> base = m_state->base(id);
        MergeResult result;
        if (group.push) {
            result.merged = ContactNormalizer::normalized(versions.value(source));
            if (versions.contains(Layer::Crm))
                result.merged.setValue(field::CrmId, versions.value(Layer::Crm).value(field::CrmId));
        } else {
            MergeInput input;
            input.base = base;
            input.versions = versions;
            // Without a base every layer's values count: a new contact, or one whose first fan-out was interrupted.
            input.changed = base ? changedLayers(id, versions) : QSet<Layer>(versions.keyBegin(), versions.keyEnd());
            input.policy = m_settings.conflictPolicy;
            input.resolutions = group.resolutions.value(id);
            for (auto choice = choices.cbegin(); choice != choices.cend(); ++choice)
                input.resolutions.insert(choice.key(), choice.value());
            result = ThreeWayMerge::merge(input);
            applyChosenValues(id, choices, versions, result, options.dryRun);
        }
        result.merged.setId(id);
        report.conflicts += int(result.conflicts.size());
        for (const FieldConflict &conflict : std::as_const(result.conflicts)) {
            emit conflictDetected(id, conflict.field);
            if (!options.dryRun && !conflict.winner && !m_state->hasOpenConflict(id, conflict.field)) {
                const FieldSpec &spec = FieldRegistry::field(conflict.field);
                m_state->addConflict(id, conflict.field, conflictValues(conflict),
                                     QJsonObject{{QStringLiteral("value"), ContactCodec::valueToJson(spec, conflict.base)}});
            }
            if (!options.dryRun && conflict.winner) {
                const qint64 entry = m_state->journalPlanned(
                    m_cycleId, id, *conflict.winner, QStringLiteral("conflict"),
                    QJsonObject{{QStringLiteral("field"), conflict.field}, {QStringLiteral("values"), conflictValues(conflict)},
                                {QStringLiteral("rule"), conflict.rule}});
                m_state->journalFinished(entry, JournalEntry::Status::Applied,
                                         QStringLiteral("%1 won %2 (%3)").arg(layerName(*conflict.winner), conflict.field, conflict.rule));
            }
        }
        if (result.held) {
            m_heldThisCycle.insert(id);
            report.held = int(m_heldThisCycle.size());
            continue;
        }
        const QString hash = ContentHash::of(result.merged);
        QJsonObject meta{{QStringLiteral("origin"), layerName(result.fieldSources.isEmpty() ? source : result.fieldSources.first())},
                         {QStringLiteral("hash"), hash},
                         {QStringLiteral("cycle"), m_cycleId}};
        result.merged.setValue(field::SyncMeta, QVariant::fromValue(QJsonValue(meta)));
        if (result.merged.isDeleted() && !(base && base->isDeleted()))
            ++deletes;
        group.merged.insert(id, result.merged);
        ready.append(id);

        const QString baseHash = base ? ContentHash::of(*base) : QString();
        bool planned = false;
        for (Layer layer : fanOutOrder()) {
            const bool holds = versions.contains(layer);
            const QString layerHash = holds ? ContentHash::of(versions.value(layer)) : QString();
            // In sync: the layer holds the result, or it still holds what the sync last left there (perhaps in its
            // own normalised form) and the result is that same base.
            if (holds && (layerHash == hash || (layerHash == m_state->layerHash(id, layer) && hash == baseHash))) {
                if (layerHash == hash)
                    group.hashes[id].insert(layer, hash);
                continue;
            }
            if (m_state->deadLetterHash(id, layer) == hash)
                continue; // refused before with this very content: it waits in the dead-letter list
            PlannedWrite write;
            write.contactId = id;
            write.layer = layer;
            write.operation = !holds ? QStringLiteral("create")
                : (result.merged.isDeleted() && !versions.value(layer).isDeleted()) ? QStringLiteral("tombstone")
                                                                                     : QStringLiteral("update");
            write.fields = differingContentFields(holds ? versions.value(layer) : Contact(), result.merged);
            report.plan.append(write);
            group.writes[layer].append(id);
            planned = true;
        }
        if (!planned && hash == baseHash)
            ++report.echoesSuppressed;
    }

    // The mass-delete guard counts the whole cycle and stops before the group that would cross the line.
    const int total = std::max(m_state->baseCount(), int(ready.size()));
    report.plannedDeletes += deletes;
    m_deletesThisCycle += deletes;
    if (!options.allowMassDelete && m_deletesThisCycle >= 3
        && double(m_deletesThisCycle) > m_settings.maxDeleteShare * double(total)) {
        report.massDeleteBlocked = true;
        report.errors << QStringLiteral("mass-delete guard: this cycle would delete %1 of %2 contacts (more than %3%); "
                                        "nothing was written. Confirm with `tfsync run --allow-mass-delete` or in the app.")
                             .arg(m_deletesThisCycle)
                             .arg(total)
                             .arg(m_settings.maxDeleteShare * 100.0);
        emit massDeleteBlocked(m_deletesThisCycle, total);
        return false;
    }
    if (options.dryRun)
        return true;

    // Every write is journaled before it is sent.
    m_state->begin();
    for (auto it = group.writes.cbegin(); it != group.writes.cend(); ++it) {
        for (const QString &id : it.value()) {
            const Contact &target = group.merged[id];
            group.journal.insert(id + QLatin1Char('|') + layerName(it.key()),
                                 m_state->journalPlanned(m_cycleId, id, it.key(), target.isDeleted() ? QStringLiteral("tombstone") : QStringLiteral("upsert"),
                                                         QJsonObject{{QStringLiteral("hash"), ContentHash::of(target)}}));
        }
    }
    m_state->commit();

    if (!execute(group, report))
        return false;

    m_state->begin();
    for (auto it = group.hashes.cbegin(); it != group.hashes.cend(); ++it) {
        for (auto layer = it.value().cbegin(); layer != it.value().cend(); ++layer)
            m_state->setLayerHash(it.key(), layer.key(), layer.value());
    }
    for (const QString &id : std::as_const(ready)) {
        m_state->setBase(group.merged[id]);
        if (group.resolutions.contains(id) || options.choices.contains(id))
            m_state->markConflictsApplied(id);
    }
    for (auto it = group.strays.cbegin(); it != group.strays.cend(); ++it)
        m_state->addAlias(it.key(), it.value(), source);
    m_state->commit();
    emit progress(source, report.contactsProcessed);
    return true;
}

bool SyncEngine::execute(Group &group, CycleReport &report)
{
    for (Layer layer : fanOutOrder()) {
        if (!writeLayer(layer, group, group.writes.value(layer), report))
            return false;
    }
    // The CRM mints its record id on the first create; every layer that did not receive the contact after that
    // gets it now (contract: crm_id is "written back to the other layers after the first create in Twenty").
    bool afterCrm = false;
    for (Layer layer : fanOutOrder()) {
        if (layer == Layer::Crm) {
            afterCrm = true;
            continue;
        }
        QStringList stale;
        for (const QString &id : std::as_const(group.crmIdMinted)) {
            const bool written = group.writes.value(layer).contains(id);
            const bool holds = group.versions[id].contains(layer);
            if ((!afterCrm && (written || holds)) || (afterCrm && !written && holds))
                stale.append(id);
        }
        for (const QString &id : std::as_const(stale)) {
            group.journal.insert(id + QLatin1Char('|') + layerName(layer),
                                 m_state->journalPlanned(m_cycleId, id, layer, QStringLiteral("crm_id write-back"),
                                                         QJsonObject{{QStringLiteral("hash"), ContentHash::of(group.merged[id])}}));
        }
        if (!stale.isEmpty() && !writeLayer(layer, group, stale, report))
            return false;
    }
    // A duplicate matched by email: its own row in the layer that created it becomes a tombstone, so the layer
    // holds the person once. Twenty re-keys the same record on upsert instead (twenty-rest.md §3.6).
    QMap<Layer, QList<Contact>> strayTombstones;
    for (auto it = group.strays.cbegin(); it != group.strays.cend(); ++it) {
        Contact stray = group.versions[it.key()].value(group.source);
        stray.setValue(field::DeletedAt, QDateTime::currentDateTimeUtc());
        strayTombstones[group.source].append(stray);
    }
    for (auto it = strayTombstones.cbegin(); it != strayTombstones.cend(); ++it)
        m_connectors[it.key()]->writeBatch(it.value(), {});
    return true;
}

bool SyncEngine::writeLayer(Layer layer, Group &group, const QStringList &ids, CycleReport &report)
{
    Connector *connector = m_connectors.value(layer);
    for (qsizetype start = 0; start < ids.size(); start += m_settings.batchSize) {
        const QStringList chunk = ids.mid(start, m_settings.batchSize);
        QList<Contact> batch;
        for (const QString &id : chunk)
            batch.append(group.merged[id]);
        WriteResult result;
        try {
            result = connector->writeBatch(batch, {});
        } catch (const ConnectorError &error) {
            m_state->begin();
            for (const QString &id : chunk)
                m_state->journalFinished(group.journal.value(id + QLatin1Char('|') + layerName(layer)),
                                         JournalEntry::Status::Failed, QString::fromUtf8(error.what()));
            m_state->commit();
            report.errors << QString::fromUtf8(error.what());
            return false;
        }
        m_state->begin();
        for (const Contact &stored : std::as_const(result.stored)) {
            const QString id = stored.id();
            if (layer == Layer::Crm && group.merged.contains(id) && !stored.text(field::CrmId).isEmpty()
                && stored.text(field::CrmId) != group.merged[id].text(field::CrmId)) {
                group.merged[id].setValue(field::CrmId, stored.text(field::CrmId));
                group.crmIdMinted.append(id);
            }
            // Recorded with the base when the whole group is done: until then the layer holds something newer than
            // the base, and must count as changed if this cycle is cut short.
            group.hashes[id].insert(layer, ContentHash::of(stored));
            m_state->clearDeadLetter(id, layer);
            m_state->journalFinished(group.journal.value(id + QLatin1Char('|') + layerName(layer)),
                                     JournalEntry::Status::Applied);
            ++report.written[layer];
            emit writeApplied(id, layer, stored.isDeleted() ? QStringLiteral("tombstone") : QStringLiteral("upsert"));
        }
        for (auto it = result.rejected.cbegin(); it != result.rejected.cend(); ++it) {
            m_state->addDeadLetter(it.key(), layer, it.value(), ContentHash::of(group.merged.value(it.key())));
            m_state->journalFinished(group.journal.value(it.key() + QLatin1Char('|') + layerName(layer)),
                                     JournalEntry::Status::Failed, it.value());
            ++report.rejected[layer];
        }
        m_state->commit();
    }
    return true;
}

} // namespace tf
