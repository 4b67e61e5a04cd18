#include "twenty/recordservice.h"

#include "twenty/apierror.h"
#include "twenty/recordpager.h"
#include "twenty/uuids.h"

#include <QCryptographicHash>

namespace tf::emu {

namespace {

const QString kId = QStringLiteral("id");
const QString kCreatedAt = QStringLiteral("createdAt");
const QString kUpdatedAt = QStringLiteral("updatedAt");
const QString kDeletedAt = QStringLiteral("deletedAt");
const QString kCreatedBy = QStringLiteral("createdBy");
const QString kUpdatedBy = QStringLiteral("updatedBy");
const QString kPosition = QStringLiteral("position");

QString foreignKeyName(const QString &object, const QString &column)
{
    const QByteArray digest =
        QCryptographicHash::hash((object + QLatin1Char('_') + column).toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("FK_") + QString::fromLatin1(digest.left(27));
}

// The names of the fields whose values differ; the server's own stamps are no client change (§7.3 updatedFields).
QStringList changedFields(const QJsonObject &before, const QJsonObject &after)
{
    QStringList changed;
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (it.key() != kUpdatedAt && it.key() != kUpdatedBy && before.value(it.key()) != it.value())
            changed.append(it.key());
    }
    return changed;
}

} // namespace

RecordService::RecordService(Workspace &workspace, const ObjectSchema &schema, const EmulatorSettings &settings,
                             RequestContext context)
    : m_workspace(workspace)
    , m_schema(schema)
    , m_store(workspace.store(schema.nameSingular()))
    , m_processor(schema, settings.emptyText)
    , m_context(std::move(context))
{
}

QJsonObject RecordService::apiActor() const
{
    // build-created-by-from-api-key (§3.2).
    return QJsonObject{{QStringLiteral("source"), QStringLiteral("API")},
                       {QStringLiteral("workspaceMemberId"), QJsonValue::Null},
                       {QStringLiteral("name"), m_context.actorName},
                       {QStringLiteral("context"), QJsonObject()}};
}

QJsonObject RecordService::createdByFor(const QJsonObject &input, const QJsonObject &processed) const
{
    // A client's createdBy keeps what it says (e.g. source EMAIL) and the API key fills the rest (§3.2).
    QJsonObject actor = apiActor();
    const QJsonObject sent = input.value(kCreatedBy).toObject();
    const QJsonObject checked = processed.value(kCreatedBy).toObject();
    for (auto it = sent.begin(); it != sent.end(); ++it)
        actor.insert(it.key(), checked.value(it.key()));
    return actor;
}

double RecordService::nextPosition()
{
    // position "first" (record-position service): below every row there is.
    if (!m_lowestPosition) {
        std::optional<double> lowest;
        for (const QJsonObject &record : m_store.records()) {
            const QJsonValue position = record.value(kPosition);
            if (position.isDouble() && (!lowest || position.toDouble() < *lowest))
                lowest = position.toDouble();
        }
        m_lowestPosition = lowest.value_or(1.0);
    }
    return *m_lowestPosition -= 1.0;
}

void RecordService::checkForeignKeys(const QJsonObject &record) const
{
    for (const FieldDefinition *field : m_schema.activeFields()) {
        if (!field->isManyToOne())
            continue;
        const QJsonValue target = record.value(field->joinColumn);
        if (!target.isNull() && !m_workspace.store(field->relationTarget).find(target.toString())) {
            throw ApiError::badRequest(QStringLiteral("insert or update on table \"%1\" violates foreign key constraint \"%2\"")
                                           .arg(m_schema.nameSingular(),
                                                foreignKeyName(m_schema.nameSingular(), field->joinColumn)));
        }
    }
}

void RecordService::nullifyReferencesTo(const QString &id)
{
    // Many-to-one join columns are ON DELETE SET NULL: destroying a company leaves its people without one.
    for (const ObjectSchema &other : m_workspace.metadata().objects()) {
        for (const FieldDefinition &field : other.fields()) {
            if (!field.isManyToOne() || field.relationTarget != m_schema.nameSingular())
                continue;
            RecordStore &store = m_workspace.store(other.nameSingular());
            for (QJsonObject record : store.records()) {
                if (record.value(field.joinColumn).toString() == id) {
                    record.insert(field.joinColumn, QJsonValue::Null);
                    store.put(record);
                }
            }
        }
    }
}

const QJsonObject &RecordService::existing(const QString &id) const
{
    const QJsonObject *record = m_store.find(id.toLower());
    if (!record)
        throw ApiError::notFound();
    return *record;
}

QJsonObject RecordService::findVisible(const QString &id) const
{
    const QJsonObject &record = existing(id);
    if (!record.value(kDeletedAt).isNull())
        throw ApiError::notFound();
    return record;
}

void RecordService::announce(const QString &action, const QJsonObject &record, const QStringList &updatedFields)
{
    m_events.append(RecordEvent{m_schema.nameSingular(), action, record, updatedFields});
}

QJsonObject RecordService::insert(const QJsonObject &input)
{
    QJsonObject record = m_processor.apply(input, m_processor.defaults());
    if (record.value(kId).isNull())
        record.insert(kId, Uuids::create());
    if (m_store.find(record.value(kId).toString()))
        throw ApiError::badRequest(QStringLiteral("Record already exists"));
    if (!input.contains(kCreatedAt) || record.value(kCreatedAt).isNull())
        record.insert(kCreatedAt, m_context.now);
    record.insert(kUpdatedAt, m_context.now);
    record.insert(kCreatedBy, createdByFor(input, record));
    record.insert(kUpdatedBy, apiActor());
    if (!input.contains(kPosition))
        record.insert(kPosition, nextPosition());
    checkForeignKeys(record);
    m_store.put(record);
    // The ORM announces an insert as created and as upserted (twenty-orm insert query builder).
    announce(QStringLiteral("created"), record);
    announce(QStringLiteral("upserted"), record);
    return record;
}

QJsonObject RecordService::updateRecord(const QJsonObject &before, const QJsonObject &input, bool resurrect)
{
    QJsonObject record = m_processor.apply(input, before);
    record.insert(kId, before.value(kId));
    record.insert(kUpdatedAt, m_context.now); // "updatedAt" = CURRENT_TIMESTAMP on every UPDATE (§3.3)
    record.insert(kUpdatedBy, apiActor());
    if (resurrect) {
        record.insert(kCreatedBy, before.value(kCreatedBy)); // the upsert's update path keeps createdBy (§3.6)
        record.insert(kDeletedAt, QJsonValue::Null);
    }
    checkForeignKeys(record);
    m_store.put(record);
    announce(QStringLiteral("updated"), record, changedFields(before, record));
    announce(QStringLiteral("upserted"), record);
    return record;
}

// get-matching-record-id: the row that has the input's id or one of its unique values, soft-deleted rows included.
QString RecordService::matchingRecord(const QJsonObject &input, const RecordStore &existing) const
{
    const QJsonObject probe = m_processor.apply(input, QJsonObject());
    QStringList matches;
    QStringList described;
    const QString id = probe.value(kId).toString();
    if (!id.isEmpty()) {
        described.append(QStringLiteral("id (id: %1)").arg(id));
        if (existing.find(id))
            matches.append(id);
    }
    for (const UniqueKey &key : m_schema.uniqueKeys()) {
        const QJsonValue value = RecordStore::valueAt(probe, key.path);
        if (value.isNull() || value.isUndefined() || value == QLatin1String(""))
            continue;
        const QString holder = existing.idWithUniqueValue(key.path, value);
        described.append(QStringLiteral("%1 (%2: %3)").arg(key.path.section(QLatin1Char('.'), 0, 0), key.path, value.toVariant().toString()));
        if (!holder.isEmpty() && !matches.contains(holder))
            matches.append(holder);
    }
    if (matches.size() > 1) {
        throw ApiError::badRequest(QStringLiteral("Multiple records found with the same unique field values for %1. "
                                                  "Cannot determine which record to update.")
                                       .arg(described.join(QStringLiteral("; "))));
    }
    return matches.value(0);
}

QList<QJsonObject> RecordService::create(const QJsonArray &inputs, bool upsert)
{
    // Matches are looked up once, against the rows as they were before the batch (create-many runner).
    const RecordStore before = m_store;
    QList<QJsonObject> created;
    for (const QJsonValue &value : inputs) {
        const QJsonObject input = value.toObject();
        const QString match = upsert ? matchingRecord(input, before) : QString();
        if (match.isEmpty()) {
            created.append(insert(input));
            continue;
        }
        QJsonObject update = input;
        update.remove(kCreatedBy);
        update.remove(kId);
        created.append(updateRecord(existing(match), update, true));
    }
    return created;
}

QJsonObject RecordService::update(const QString &id, const QJsonObject &input)
{
    return updateRecord(findVisible(id), input, false);
}

QList<QJsonObject> RecordService::updateMany(const RecordFilter &filter, const QJsonObject &input)
{
    QList<QJsonObject> updated;
    for (const QJsonObject &record : RecordPager::visible(m_store.records(), filter))
        updated.append(updateRecord(record, input, false));
    return updated;
}

QJsonObject RecordService::softDelete(const QString &id)
{
    QJsonObject record = findVisible(id);
    record.insert(kDeletedAt, m_context.now);
    m_store.put(record);
    announce(QStringLiteral("deleted"), record);
    return record;
}

QList<QJsonObject> RecordService::softDeleteMany(const RecordFilter &filter)
{
    QList<QJsonObject> deleted;
    for (const QJsonObject &record : RecordPager::visible(m_store.records(), filter)) {
        if (record.value(kDeletedAt).isNull())
            deleted.append(softDelete(record.value(kId).toString()));
    }
    return deleted;
}

QJsonObject RecordService::destroy(const QString &id)
{
    const QJsonObject record = existing(id);
    m_store.remove(record.value(kId).toString());
    nullifyReferencesTo(record.value(kId).toString());
    announce(QStringLiteral("destroyed"), record);
    return record;
}

QList<QJsonObject> RecordService::destroyMany(const RecordFilter &filter)
{
    QList<QJsonObject> destroyed;
    for (const QJsonObject &record : RecordPager::visible(m_store.records(), filter))
        destroyed.append(destroy(record.value(kId).toString()));
    return destroyed;
}

QJsonObject RecordService::restore(const QString &id)
{
    QJsonObject record = existing(id);
    if (record.value(kDeletedAt).isNull())
        return record;
    record.insert(kDeletedAt, QJsonValue::Null);
    m_store.put(record);
    announce(QStringLiteral("restored"), record);
    return record;
}

QList<QJsonObject> RecordService::restoreMany(const RecordFilter &filter)
{
    QList<QJsonObject> restored;
    for (const QJsonObject &record : RecordPager::visible(m_store.records(), filter)) {
        if (!record.value(kDeletedAt).isNull())
            restored.append(restore(record.value(kId).toString()));
    }
    return restored;
}

} // namespace tf::emu
