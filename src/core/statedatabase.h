#pragma once

#include "core/contact.h"
#include "core/layer.h"
#include "core/syncplanner.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <optional>
#include <stdexcept>

namespace tf {

class StateError : public std::runtime_error
{
public:
    explicit StateError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
};

// What committing a plan records (PlanExecutor::commitTarget): the target as the new base, and each layer as
// holding the version the plan read (its form of the base where it was in sync).
struct PlannedCommit {
    Contact target;
    QString intentHash; // SyncPlanner::intentHash of the target: how a layer holding it is recognised
    QMap<Layer, Contact> versions;
    QList<Layer> inSync;
};

struct JournalEntry {
    enum class Status { Planned, Applied, Failed, Skipped };
    qint64 id = 0;
    QString cycleId;
    QString contactId;
    Layer layer = Layer::Local;
    QString operation; // upsert, tombstone, conflict, skip, dead-letter
    QJsonObject payload;
    Status status = Status::Planned;
    QString detail;
    QDateTime createdAt;
    QDateTime finishedAt;
};
QString journalStatusName(JournalEntry::Status status);

struct ConflictRecord {
    // A field two layers changed differently, or a new contact that may be a person the sync already has.
    enum class Kind { Field, PossibleDuplicate };
    static constexpr const char *kMerge = "merge"; // a possible duplicate's answers
    static constexpr const char *kKeepBoth = "keep-both";

    qint64 id = 0;
    Kind kind = Kind::Field;
    QString contactId;
    QString field;
    QJsonObject values; // layer name → value
    QJsonObject base;   // the field's base value, {"value": ...}
    bool open = true;
    QString resolution; // layer taken
    QDateTime createdAt;
};

struct DeadLetter {
    qint64 id = 0;
    QString contactId;
    Layer layer = Layer::Local;
    // Empty: `layer` refused a write. Set: `layer` holds a value of this field that not every layer can store
    // (ValueValidator); the contact is held in every layer until it is fixed there.
    QString field;
    QString error;
    int attempts = 0;
    QDateTime createdAt;
};

// The sync's own memory, in a SQLite file apart from the local layer: per contact the base (last synced
// version) and per layer the last synced content hash, a watermark per layer, the journal of every planned and
// applied write, conflicts and dead letters. The schema is versioned and migrated forward on open.
class StateDatabase
{
public:
    static constexpr int kSchemaVersion = 4;

    explicit StateDatabase(const QString &path);
    ~StateDatabase();
    StateDatabase(const StateDatabase &) = delete;
    StateDatabase &operator=(const StateDatabase &) = delete;

    // Opens (creating if needed) and migrates; throws StateError naming the file and the cause.
    void open();
    QString path() const { return m_path; }
    int schemaVersion() const;

    void begin();
    void commit();
    void rollback();

    std::optional<Contact> base(const QString &contactId) const;
    void setBase(const Contact &contact);
    int baseCount() const;
    QStringList baseIds() const;
    // Contacts whose base is live and which the sync last left in `layer` (it has a layer hash there).
    QStringList liveContactsHeldBy(Layer layer) const;

    QString baseHash(const QString &contactId) const;
    // The contact whose base holds this (normalized) primary email: how a contact created in two layers is matched.
    QString contactIdByPrimaryEmail(const QString &normalizedEmail) const;
    // A layer's id for a contact that turned out to be another one (matched by primary email).
    void addAlias(const QString &aliasId, const QString &contactId, Layer layer);
    QString aliasTarget(const QString &aliasId) const;

    QString meta(const QString &key) const;
    void setMeta(const QString &key, const QString &value);

    // A layer's current pause (rate limit, Retry-After): until when and why. Expires by itself, so a process killed
    // mid-wait leaves nothing stale behind.
    struct LayerWait {
        QDateTime until;
        QString reason;
    };
    void setLayerWait(Layer layer, const QDateTime &until, const QString &reason);
    std::optional<LayerWait> layerWait(Layer layer, const QDateTime &now) const;

    // What the sync last knew `layer` to hold of a contact: its content hash, and the content itself. `isBase`
    // says the layer holds the base's content (in its own form); then only the hash is stored, and the content
    // is copied from the base when the base moves on without this layer (setBase).
    QString layerHash(const QString &contactId, Layer layer) const;
    void setLayerState(const QString &contactId, Layer layer, const Contact &held, bool isBase);
    // None when the sync never recorded the layer holding the contact.
    std::optional<LayerRecord> layerRecord(const QString &contactId, Layer layer) const;
    // A plan's commit, written before its writes go out and cleared when the first layer's outcome is committed.
    // A write that landed but whose commit never happened (the process killed, the answer lost) is found by its
    // intent hash, and the lost commit is replayed before the contact is planned again (SyncEngine).
    void savePlannedCommit(const QString &contactId, const PlannedCommit &commit);
    std::optional<PlannedCommit> plannedCommit(const QString &contactId) const;
    void clearPlannedCommit(const QString &contactId);

    QString watermark(Layer layer) const;
    void setWatermark(Layer layer, const QString &watermark);

    qint64 journalPlanned(const QString &cycleId, const QString &contactId, Layer layer, const QString &operation,
                          const QJsonObject &payload);
    void journalFinished(qint64 entryId, JournalEntry::Status status, const QString &detail = {});
    QList<JournalEntry> unfinishedJournal() const;
    QList<JournalEntry> history(const QString &contactId = {}, int limit = 200) const;

    qint64 addConflict(const QString &contactId, const QString &field, const QJsonObject &values,
                       const QJsonObject &base);
    // Contact `contactId`, new to the sync, has the primary email of `existingId` but other values: a person
    // decides whether it is the same person (merge) or another one (keep both). `details` says what differs.
    qint64 addPossibleDuplicate(const QString &contactId, const QString &existingId, const QJsonObject &details);
    // The latest possible-duplicate record of this new contact, open or answered.
    std::optional<ConflictRecord> possibleDuplicate(const QString &contactId) const;
    QList<ConflictRecord> conflicts(bool openOnly = true) const;
    std::optional<ConflictRecord> conflict(qint64 conflictId) const;
    void resolveConflict(qint64 conflictId, const QString &resolution);
    QList<ConflictRecord> resolvedUnappliedConflicts() const;
    bool hasOpenConflict(const QString &contactId, const QString &field) const;
    void markConflictsApplied(const QString &contactId);

    // A poison record: the layer refused this content. It is not sent there again until the content changes. With
    // `field`: the layer holds a value of that field no layer may be sent (ValueGate); one letter per contact and
    // layer, so `field` is the first such field and `error` names them all.
    void addDeadLetter(const QString &contactId, Layer layer, const QString &error, const QString &contentHash = {},
                       const QString &field = {});
    QString deadLetterHash(const QString &contactId, Layer layer) const;
    QList<DeadLetter> deadLetters() const;
    void clearDeadLetter(const QString &contactId, Layer layer);

    // PRAGMA integrity_check: "ok" or what SQLite found.
    QString integrityCheck() const;

private:
    void migrate();
    QSqlQuery exec(const QString &sql, const QVariantList &bindings = {}) const;

    QString m_path;
    QString m_connectionName;
};

// A write transaction on the state database that is rolled back unless committed: an exception between begin and
// commit leaves no transaction open for the next statement.
class StateTransaction {
public:
    explicit StateTransaction(StateDatabase *state);
    ~StateTransaction();
    StateTransaction(const StateTransaction &) = delete;
    StateTransaction &operator=(const StateTransaction &) = delete;
    void commit();

private:
    StateDatabase *m_state;
    bool m_committed = false;
};

} // namespace tf
