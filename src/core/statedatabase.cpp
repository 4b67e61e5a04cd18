#include "core/statedatabase.h"

#include "core/contactcodec.h"
#include "core/contenthash.h"
#include "core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace tf {

namespace {

// Each entry migrates the schema from version N to N+1; never edit a shipped step, append a new one.
const QStringList kMigrations = {
    QStringLiteral(R"(
        CREATE TABLE base_snapshot (
            contact_id TEXT PRIMARY KEY,
            snapshot TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE layer_state (
            contact_id TEXT NOT NULL,
            layer TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            synced_at TEXT NOT NULL,
            PRIMARY KEY (contact_id, layer));
        CREATE TABLE watermark (
            layer TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            cycle_id TEXT NOT NULL,
            contact_id TEXT NOT NULL,
            layer TEXT NOT NULL,
            operation TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT,
            created_at TEXT NOT NULL,
            finished_at TEXT);
        CREATE INDEX journal_contact ON journal(contact_id);
        CREATE INDEX journal_status ON journal(status);
        CREATE TABLE conflict (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            contact_id TEXT NOT NULL,
            field TEXT NOT NULL,
            layer_values TEXT NOT NULL,
            base_value TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            resolution TEXT,
            created_at TEXT NOT NULL,
            resolved_at TEXT);
        CREATE TABLE dead_letter (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            contact_id TEXT NOT NULL,
            layer TEXT NOT NULL,
            error TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            UNIQUE (contact_id, layer));
    )"),
    // 2: resolved conflicts are applied by the next cycle; run statistics; contacts matched by primary email.
    QStringLiteral(R"(
        ALTER TABLE conflict ADD COLUMN applied_at TEXT;
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        ALTER TABLE base_snapshot ADD COLUMN primary_email TEXT;
        CREATE INDEX base_primary_email ON base_snapshot(primary_email);
        ALTER TABLE dead_letter ADD COLUMN content_hash TEXT;
        CREATE TABLE contact_alias (
            alias_id TEXT PRIMARY KEY,
            contact_id TEXT NOT NULL,
            layer TEXT NOT NULL,
            created_at TEXT NOT NULL);
    )"),
    // 3: what each layer was last known to hold, when it is not the base (a write that reached some layers only),
    // so a layer's changes are measured against its own last state; possible duplicates in the conflict queue.
    QStringLiteral(R"(
        ALTER TABLE layer_state ADD COLUMN snapshot TEXT;
        ALTER TABLE conflict ADD COLUMN kind TEXT NOT NULL DEFAULT 'field';
        CREATE TABLE planned_commit (
            contact_id TEXT PRIMARY KEY,
            intent_hash TEXT NOT NULL,
            target TEXT NOT NULL,
            versions TEXT NOT NULL,
            in_sync TEXT NOT NULL);
    )"),
    // 4: a dead letter can be a value a layer holds that not every layer can store (ValueGate): it names the field,
    // and it is cleared once that layer's values can be carried, whether or not a write follows.
    QStringLiteral(R"(
        ALTER TABLE dead_letter ADD COLUMN field TEXT;
    )"),
};

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QJsonObject parseObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString serialize(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

JournalEntry::Status statusFromName(const QString &name)
{
    for (auto status : {JournalEntry::Status::Planned, JournalEntry::Status::Applied, JournalEntry::Status::Failed,
                        JournalEntry::Status::Skipped}) {
        if (journalStatusName(status) == name)
            return status;
    }
    return JournalEntry::Status::Failed;
}

} // namespace

QString journalStatusName(JournalEntry::Status status)
{
    switch (status) {
    case JournalEntry::Status::Planned:
        return QStringLiteral("planned");
    case JournalEntry::Status::Applied:
        return QStringLiteral("applied");
    case JournalEntry::Status::Failed:
        return QStringLiteral("failed");
    case JournalEntry::Status::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

StateDatabase::StateDatabase(const QString &path)
    : m_path(path)
    , m_connectionName(QStringLiteral("tf-state-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

StateDatabase::~StateDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

void StateDatabase::open()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        throw StateError(QStringLiteral("state database %1: cannot open: %2").arg(m_path, db.lastError().text()));
    // A file that is not a database fails on its first read, not on open: probe it here with a clear message.
    QSqlQuery probe(db);
    if (!probe.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !probe.exec(QStringLiteral("PRAGMA user_version"))) {
        throw StateError(QStringLiteral("state database %1 is not a readable SQLite database (%2); move it aside "
                                        "and the sync rebuilds its state from the layers")
                             .arg(m_path, probe.lastError().text()));
    }
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    migrate();
}

int StateDatabase::schemaVersion() const
{
    QSqlQuery query = exec(QStringLiteral("PRAGMA user_version"));
    return query.next() ? query.value(0).toInt() : 0;
}

void StateDatabase::migrate()
{
    const int current = schemaVersion();
    if (current > kSchemaVersion) {
        throw StateError(QStringLiteral("state database %1 has schema version %2, newer than this program's %3")
                             .arg(m_path)
                             .arg(current)
                             .arg(kSchemaVersion));
    }
    for (int version = current; version < kSchemaVersion; ++version) {
        begin();
        try {
            const QStringList statements = kMigrations.at(version).split(QLatin1Char(';'), Qt::SkipEmptyParts);
            for (const QString &statement : statements) {
                if (!statement.trimmed().isEmpty())
                    exec(statement);
            }
            exec(QStringLiteral("PRAGMA user_version=%1").arg(version + 1));
            commit();
        } catch (...) {
            rollback();
            throw;
        }
        qCInfo(lcState) << "migrated" << m_path << "to schema version" << version + 1;
    }
}

QSqlQuery StateDatabase::exec(const QString &sql, const QVariantList &bindings) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.prepare(sql)) {
        throw StateError(
            QStringLiteral("state database %1: cannot prepare statement: %2").arg(m_path, query.lastError().text()));
    }
    for (const QVariant &binding : bindings)
        query.addBindValue(binding);
    if (!query.exec())
        throw StateError(QStringLiteral("state database %1: %2").arg(m_path, query.lastError().text()));
    return query;
}

StateTransaction::StateTransaction(StateDatabase *state)
    : m_state(state)
{
    m_state->begin();
}

StateTransaction::~StateTransaction()
{
    if (!m_committed)
        m_state->rollback();
}

void StateTransaction::commit()
{
    m_state->commit();
    m_committed = true;
}

void StateDatabase::begin()
{
    exec(QStringLiteral("BEGIN IMMEDIATE"));
}

void StateDatabase::commit()
{
    exec(QStringLiteral("COMMIT"));
}

void StateDatabase::rollback()
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.exec(QStringLiteral("ROLLBACK"));
}

std::optional<Contact> StateDatabase::base(const QString &contactId) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT snapshot FROM base_snapshot WHERE contact_id = ?"), {contactId});
    if (!query.next())
        return std::nullopt;
    return ContactCodec::fromJson(parseObject(query.value(0).toString()));
}

void StateDatabase::setBase(const Contact &contact)
{
    // Layers recorded as holding the old base keep it as their own last known state when the base moves on.
    exec(QStringLiteral("UPDATE layer_state SET snapshot = (SELECT snapshot FROM base_snapshot WHERE contact_id = ?) "
                        "WHERE contact_id = ? AND snapshot IS NULL AND EXISTS (SELECT 1 FROM base_snapshot "
                        "WHERE contact_id = ? AND content_hash <> ?)"),
         {contact.id(), contact.id(), contact.id(), ContentHash::of(contact)});
    const QString primaryEmail = contact.list(field::Emails).value(0);
    exec(QStringLiteral("INSERT INTO base_snapshot (contact_id, snapshot, content_hash, updated_at, primary_email) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(contact_id) DO UPDATE SET snapshot = excluded.snapshot, "
                        "content_hash = excluded.content_hash, updated_at = excluded.updated_at, "
                        "primary_email = excluded.primary_email"),
         {contact.id(), serialize(ContactCodec::toJson(contact)), ContentHash::of(contact), now(),
          primaryEmail.isEmpty() ? QVariant() : QVariant(primaryEmail)});
}

int StateDatabase::baseCount() const
{
    QSqlQuery query = exec(QStringLiteral("SELECT count(*) FROM base_snapshot"));
    return query.next() ? query.value(0).toInt() : 0;
}

QStringList StateDatabase::baseIds() const
{
    QStringList ids;
    QSqlQuery query = exec(QStringLiteral("SELECT contact_id FROM base_snapshot ORDER BY contact_id"));
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
}

QStringList StateDatabase::liveContactsHeldBy(Layer layer) const
{
    QStringList ids;
    QSqlQuery query = exec(QStringLiteral("SELECT l.contact_id FROM layer_state l JOIN base_snapshot b USING (contact_id) "
                                          "WHERE l.layer = ? AND json_extract(b.snapshot, '$.deleted_at') IS NULL "
                                          "ORDER BY l.contact_id"),
                           {layerName(layer)});
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
}

QString StateDatabase::baseHash(const QString &contactId) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT content_hash FROM base_snapshot WHERE contact_id = ?"), {contactId});
    return query.next() ? query.value(0).toString() : QString();
}

QString StateDatabase::contactIdByPrimaryEmail(const QString &normalizedEmail) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT contact_id FROM base_snapshot WHERE primary_email = ? LIMIT 1"),
                           {normalizedEmail});
    return query.next() ? query.value(0).toString() : QString();
}

void StateDatabase::addAlias(const QString &aliasId, const QString &contactId, Layer layer)
{
    exec(QStringLiteral("INSERT OR REPLACE INTO contact_alias (alias_id, contact_id, layer, created_at) "
                        "VALUES (?, ?, ?, ?)"),
         {aliasId, contactId, layerName(layer), now()});
}

QString StateDatabase::aliasTarget(const QString &aliasId) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT contact_id FROM contact_alias WHERE alias_id = ?"), {aliasId});
    return query.next() ? query.value(0).toString() : QString();
}

QString StateDatabase::meta(const QString &key) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT value FROM meta WHERE key = ?"), {key});
    return query.next() ? query.value(0).toString() : QString();
}

void StateDatabase::setMeta(const QString &key, const QString &value)
{
    exec(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
         {key, value});
}

void StateDatabase::setLayerWait(Layer layer, const QDateTime &until, const QString &reason)
{
    setMeta(QStringLiteral("waiting_") + layerName(layer),
            QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("until"), until.toString(Qt::ISODateWithMs)},
                                                        {QStringLiteral("reason"), reason}})
                                  .toJson(QJsonDocument::Compact)));
}

std::optional<StateDatabase::LayerWait> StateDatabase::layerWait(Layer layer, const QDateTime &now) const
{
    const QJsonObject stored
        = QJsonDocument::fromJson(meta(QStringLiteral("waiting_") + layerName(layer)).toUtf8()).object();
    const QDateTime until = QDateTime::fromString(stored.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs);
    if (!until.isValid() || until <= now)
        return std::nullopt;
    return LayerWait{until, stored.value(QStringLiteral("reason")).toString()};
}

QString StateDatabase::layerHash(const QString &contactId, Layer layer) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT content_hash FROM layer_state WHERE contact_id = ? AND layer = ?"),
                           {contactId, layerName(layer)});
    return query.next() ? query.value(0).toString() : QString();
}

void StateDatabase::setLayerState(const QString &contactId, Layer layer, const Contact &held, bool isBase)
{
    exec(QStringLiteral("INSERT INTO layer_state (contact_id, layer, content_hash, synced_at, snapshot) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(contact_id, layer) DO UPDATE SET "
                        "content_hash = excluded.content_hash, synced_at = excluded.synced_at, "
                        "snapshot = excluded.snapshot"),
         {contactId, layerName(layer), ContentHash::of(held), now(),
          isBase ? QVariant() : QVariant(serialize(ContactCodec::toJson(held)))});
}

void StateDatabase::savePlannedCommit(const QString &contactId, const PlannedCommit &commit)
{
    QJsonObject versions;
    for (auto it = commit.versions.cbegin(); it != commit.versions.cend(); ++it)
        versions.insert(layerName(it.key()), ContactCodec::toJson(it.value()));
    QJsonArray inSync;
    for (Layer layer : commit.inSync)
        inSync.append(layerName(layer));
    exec(QStringLiteral("INSERT OR REPLACE INTO planned_commit (contact_id, intent_hash, target, versions, in_sync) "
                        "VALUES (?, ?, ?, ?, ?)"),
         {contactId, commit.intentHash, serialize(ContactCodec::toJson(commit.target)), serialize(versions),
          QString::fromUtf8(QJsonDocument(inSync).toJson(QJsonDocument::Compact))});
}

std::optional<PlannedCommit> StateDatabase::plannedCommit(const QString &contactId) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT intent_hash, target, versions, in_sync FROM planned_commit "
                                          "WHERE contact_id = ?"),
                           {contactId});
    if (!query.next())
        return std::nullopt;
    PlannedCommit commit;
    commit.intentHash = query.value(0).toString();
    commit.target = ContactCodec::fromJson(parseObject(query.value(1).toString()));
    const QJsonObject versions = parseObject(query.value(2).toString());
    for (auto it = versions.constBegin(); it != versions.constEnd(); ++it) {
        if (const std::optional<Layer> layer = layerFromName(it.key()))
            commit.versions.insert(*layer, ContactCodec::fromJson(it.value().toObject()));
    }
    for (const QJsonValue &name : QJsonDocument::fromJson(query.value(3).toString().toUtf8()).array()) {
        if (const std::optional<Layer> layer = layerFromName(name.toString()))
            commit.inSync.append(*layer);
    }
    return commit;
}

void StateDatabase::clearPlannedCommit(const QString &contactId)
{
    exec(QStringLiteral("DELETE FROM planned_commit WHERE contact_id = ?"), {contactId});
}

std::optional<LayerRecord> StateDatabase::layerRecord(const QString &contactId, Layer layer) const
{
    QSqlQuery query
        = exec(QStringLiteral("SELECT content_hash, snapshot FROM layer_state WHERE contact_id = ? AND layer = ?"),
               {contactId, layerName(layer)});
    if (!query.next())
        return std::nullopt;
    LayerRecord record;
    record.hash = query.value(0).toString();
    if (!query.isNull(1))
        record.snapshot = ContactCodec::fromJson(parseObject(query.value(1).toString()));
    return record;
}

QString StateDatabase::watermark(Layer layer) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT value FROM watermark WHERE layer = ?"), {layerName(layer)});
    return query.next() ? query.value(0).toString() : QString();
}

void StateDatabase::setWatermark(Layer layer, const QString &watermark)
{
    exec(QStringLiteral("INSERT INTO watermark (layer, value, updated_at) VALUES (?, ?, ?) "
                        "ON CONFLICT(layer) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"),
         {layerName(layer), watermark, now()});
}

qint64 StateDatabase::journalPlanned(const QString &cycleId, const QString &contactId, Layer layer,
                                     const QString &operation, const QJsonObject &payload)
{
    QSqlQuery query = exec(QStringLiteral("INSERT INTO journal (cycle_id, contact_id, layer, operation, payload, status, "
                                          "created_at) VALUES (?, ?, ?, ?, ?, 'planned', ?)"),
                           {cycleId, contactId, layerName(layer), operation, serialize(payload), now()});
    return query.lastInsertId().toLongLong();
}

void StateDatabase::journalFinished(qint64 entryId, JournalEntry::Status status, const QString &detail)
{
    exec(QStringLiteral("UPDATE journal SET status = ?, detail = ?, finished_at = ? WHERE id = ?"),
         {journalStatusName(status), detail.isNull() ? QVariant() : QVariant(detail), now(), entryId});
}

namespace {

JournalEntry journalEntryFrom(const QSqlQuery &query)
{
    JournalEntry entry;
    entry.id = query.value(0).toLongLong();
    entry.cycleId = query.value(1).toString();
    entry.contactId = query.value(2).toString();
    entry.layer = layerFromName(query.value(3).toString()).value_or(Layer::Local);
    entry.operation = query.value(4).toString();
    entry.payload = parseObject(query.value(5).toString());
    entry.status = statusFromName(query.value(6).toString());
    entry.detail = query.value(7).toString();
    entry.createdAt = QDateTime::fromString(query.value(8).toString(), Qt::ISODateWithMs);
    entry.finishedAt = QDateTime::fromString(query.value(9).toString(), Qt::ISODateWithMs);
    return entry;
}

const QString kJournalColumns = QStringLiteral(
    "id, cycle_id, contact_id, layer, operation, payload, status, detail, created_at, finished_at");

} // namespace

QList<JournalEntry> StateDatabase::unfinishedJournal() const
{
    QList<JournalEntry> entries;
    QSqlQuery query =
        exec(QStringLiteral("SELECT %1 FROM journal WHERE status = 'planned' ORDER BY id").arg(kJournalColumns));
    while (query.next())
        entries.append(journalEntryFrom(query));
    return entries;
}

QList<JournalEntry> StateDatabase::history(const QString &contactId, int limit) const
{
    QList<JournalEntry> entries;
    QSqlQuery query = contactId.isEmpty()
        ? exec(QStringLiteral("SELECT %1 FROM journal ORDER BY id DESC LIMIT ?").arg(kJournalColumns), {limit})
        : exec(QStringLiteral("SELECT %1 FROM journal WHERE contact_id = ? ORDER BY id DESC LIMIT ?")
                   .arg(kJournalColumns),
               {contactId, limit});
    while (query.next())
        entries.append(journalEntryFrom(query));
    return entries;
}

qint64 StateDatabase::addConflict(const QString &contactId, const QString &field, const QJsonObject &values,
                                  const QJsonObject &base)
{
    QSqlQuery query = exec(QStringLiteral("INSERT INTO conflict (contact_id, field, layer_values, base_value, created_at) "
                                          "VALUES (?, ?, ?, ?, ?)"),
                           {contactId, field, serialize(values), serialize(base), now()});
    return query.lastInsertId().toLongLong();
}

namespace {

ConflictRecord conflictFrom(const QSqlQuery &query)
{
    ConflictRecord record;
    record.id = query.value(0).toLongLong();
    record.contactId = query.value(1).toString();
    record.field = query.value(2).toString();
    record.values = parseObject(query.value(3).toString());
    record.base = parseObject(query.value(4).toString());
    record.open = query.value(5).toString() == QLatin1String("open");
    record.resolution = query.value(6).toString();
    record.createdAt = QDateTime::fromString(query.value(7).toString(), Qt::ISODateWithMs);
    record.kind = query.value(8).toString() == QLatin1String("duplicate") ? ConflictRecord::Kind::PossibleDuplicate
                                                                          : ConflictRecord::Kind::Field;
    return record;
}

const QString kConflictColumns
    = QStringLiteral("id, contact_id, field, layer_values, base_value, status, resolution, created_at, kind");
const QString kPossibleDuplicateField = QStringLiteral("possible_duplicate");

} // namespace

qint64 StateDatabase::addPossibleDuplicate(const QString &contactId, const QString &existingId,
                                           const QJsonObject &details)
{
    const QJsonObject answers{{QLatin1String(ConflictRecord::kMerge), existingId},
                              {QLatin1String(ConflictRecord::kKeepBoth), contactId}};
    QSqlQuery query
        = exec(QStringLiteral("INSERT INTO conflict (contact_id, field, layer_values, base_value, created_at, "
                              "kind) VALUES (?, ?, ?, ?, ?, 'duplicate')"),
               {contactId, kPossibleDuplicateField, serialize(answers),
                serialize(QJsonObject{{QStringLiteral("value"), details}}), now()});
    return query.lastInsertId().toLongLong();
}

std::optional<ConflictRecord> StateDatabase::possibleDuplicate(const QString &contactId) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT %1 FROM conflict WHERE contact_id = ? AND kind = 'duplicate' "
                                          "ORDER BY id DESC LIMIT 1")
                               .arg(kConflictColumns),
                           {contactId});
    if (!query.next())
        return std::nullopt;
    return conflictFrom(query);
}

QList<ConflictRecord> StateDatabase::conflicts(bool openOnly) const
{
    QList<ConflictRecord> records;
    QSqlQuery query = exec(QStringLiteral("SELECT %1 FROM conflict %2 ORDER BY id")
                               .arg(kConflictColumns, openOnly ? QStringLiteral("WHERE status = 'open'") : QString()));
    while (query.next())
        records.append(conflictFrom(query));
    return records;
}

std::optional<ConflictRecord> StateDatabase::conflict(qint64 conflictId) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT %1 FROM conflict WHERE id = ?").arg(kConflictColumns), {conflictId});
    if (!query.next())
        return std::nullopt;
    return conflictFrom(query);
}

QList<ConflictRecord> StateDatabase::resolvedUnappliedConflicts() const
{
    QList<ConflictRecord> records;
    QSqlQuery query = exec(QStringLiteral("SELECT %1 FROM conflict WHERE status = 'resolved' AND applied_at IS NULL "
                                          "ORDER BY id")
                               .arg(kConflictColumns));
    while (query.next())
        records.append(conflictFrom(query));
    return records;
}

bool StateDatabase::hasOpenConflict(const QString &contactId, const QString &field) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT 1 FROM conflict WHERE contact_id = ? AND field = ? AND status = 'open'"),
                           {contactId, field});
    return query.next();
}

void StateDatabase::markConflictsApplied(const QString &contactId)
{
    exec(QStringLiteral("UPDATE conflict SET applied_at = ? WHERE contact_id = ? AND status = 'resolved' "
                        "AND applied_at IS NULL"),
         {now(), contactId});
}

void StateDatabase::resolveConflict(qint64 conflictId, const QString &resolution)
{
    exec(QStringLiteral("UPDATE conflict SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?"),
         {resolution, now(), conflictId});
}

void StateDatabase::addDeadLetter(const QString &contactId, Layer layer, const QString &error,
                                  const QString &contentHash, const QString &field)
{
    exec(QStringLiteral("INSERT INTO dead_letter (contact_id, layer, error, created_at, content_hash, field) "
                        "VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT(contact_id, layer) DO UPDATE SET error = excluded.error, "
                        "attempts = attempts + 1, content_hash = excluded.content_hash, field = excluded.field"),
         {contactId, layerName(layer), error, now(), contentHash, field.isEmpty() ? QVariant() : QVariant(field)});
}

QString StateDatabase::deadLetterHash(const QString &contactId, Layer layer) const
{
    QSqlQuery query = exec(QStringLiteral("SELECT content_hash FROM dead_letter WHERE contact_id = ? AND layer = ?"),
                           {contactId, layerName(layer)});
    return query.next() ? query.value(0).toString() : QString();
}

QList<DeadLetter> StateDatabase::deadLetters() const
{
    QList<DeadLetter> letters;
    QSqlQuery query = exec(QStringLiteral(
        "SELECT id, contact_id, layer, error, attempts, created_at, field FROM dead_letter ORDER BY id"));
    while (query.next()) {
        DeadLetter letter;
        letter.id = query.value(0).toLongLong();
        letter.contactId = query.value(1).toString();
        letter.layer = layerFromName(query.value(2).toString()).value_or(Layer::Local);
        letter.error = query.value(3).toString();
        letter.attempts = query.value(4).toInt();
        letter.createdAt = QDateTime::fromString(query.value(5).toString(), Qt::ISODateWithMs);
        letter.field = query.value(6).toString();
        letters.append(letter);
    }
    return letters;
}

void StateDatabase::clearDeadLetter(const QString &contactId, Layer layer)
{
    exec(QStringLiteral("DELETE FROM dead_letter WHERE contact_id = ? AND layer = ?"), {contactId, layerName(layer)});
}

QString StateDatabase::integrityCheck() const
{
    QSqlQuery query = exec(QStringLiteral("PRAGMA integrity_check"));
    QStringList findings;
    while (query.next())
        findings.append(query.value(0).toString());
    return findings.join(QLatin1Char('\n'));
}

} // namespace tf
