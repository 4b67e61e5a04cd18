#pragma once

#include "core/contact.h"
#include "core/layer.h"

#include <QHash>
#include <QObject>
#include <optional>
#include <stdexcept>

namespace tf {

// One page of changes read from a layer. Each contact is the layer's current state of a changed contact;
// a delete arrives as a tombstone (deleted_at set). nextWatermark is persisted by the engine only after the
// page has been applied, so a crash re-reads the page instead of losing it.
struct ChangePage {
    QList<Contact> contacts;
    QString nextWatermark;
    bool hasMore = false;
};

// The version each write was planned from: per contact, the layer's row as the planner read it (the write may only
// replace that row), or none when the layer did not hold the contact (the write may only create it). A contact
// without an entry is written unconditionally (seeding a stand-in, a benchmark). Connectors compare versions by
// content hash inside their write transaction (SQL layers), by updated_at in the MERGE (BigQuery), or by a read
// just before the write (Twenty, which has no conditional update).
class ExpectedVersions
{
public:
    void expect(const QString &contactId, const std::optional<Contact> &version);
    bool constrains(const QString &contactId) const { return m_versions.contains(contactId); }
    std::optional<Contact> version(const QString &contactId) const { return m_versions.value(contactId); }
    // Whether the row the layer holds now (none: absent) is still the version the write of `contactId` was planned
    // from. True for a contact the write does not constrain.
    bool stillHolds(const QString &contactId, const std::optional<Contact> &current) const;
    // The same against the rows a layer holds now, by contact id (an id missing from `current`: the layer holds none).
    bool stillHolds(const QString &contactId, const QHash<QString, Contact> &current) const;
    bool isEmpty() const { return m_versions.isEmpty(); }

private:
    QHash<QString, std::optional<Contact>> m_versions;
};

// What a batch write did. `stored` holds each written contact as the layer now stores it (after the layer's own
// normalisations and server-set fields such as crm_id or updated_at), so the engine can record the layer's hash.
struct WriteResult {
    QList<Contact> stored;
    QHash<QString, QString> rejected; // contact_id → why the layer refused it (a poison record, not a batch failure)
    // Not written: the row no longer held the expected version (someone edited it after the planner read it). The
    // engine re-reads and re-merges these; it never overwrites them.
    QStringList moved;
};

struct HealthCheck {
    QString name;    // e.g. "reachable", "schema", "change capture"
    bool ok = false;
    bool warning = false; // ok, but a person should know (e.g. transaction-mode pooler)
    QString message;
    QString hint;
};

// Every failure a connector reports names its layer and what went wrong where; the engine never sees a raw
// driver error without that context.
class ConnectorError : public std::runtime_error
{
public:
    enum class Kind {
        Configuration, // settings missing or malformed
        Authentication,
        Unreachable,   // connection refused, DNS, TLS, server gone mid-request
        Schema,        // table or column missing or of the wrong type
        Transient,     // worth retrying later: timeouts, 429, 5xx, serialisation failures
        Rejected,      // the server refused the data itself
        Internal,
    };

    ConnectorError(Layer layer, Kind kind, const QString &message);

    Layer layer() const { return m_layer; }
    Kind kind() const { return m_kind; }
    QString message() const { return m_message; }
    bool isTransient() const { return m_kind == Kind::Transient || m_kind == Kind::Unreachable; }

private:
    Layer m_layer;
    Kind m_kind;
    QString m_message;
};

// The one interface the engine drives every layer through. Calls are synchronous and run on the engine's
// worker thread; they throw ConnectorError.
class Connector : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Connector() override;

    virtual Layer layer() const = 0;

    // Create what is missing (tables, triggers, change log, custom fields). Idempotent.
    virtual void provision() = 0;

    // Changes since `watermark` ("" = from the beginning, i.e. everything), at most `limit` contacts,
    // in a stable order. Writes made by the sync itself are not reported.
    virtual ChangePage readChanges(const QString &watermark, int limit) = 0;

    // The current state of these contacts (tombstones included); ids the layer does not hold are absent.
    virtual QList<Contact> readByIds(const QStringList &contactIds) = 0;

    // Upsert whole contacts idempotently: the same batch twice changes nothing the second time. A contact that
    // `expected` constrains is written only if the layer still holds that version; otherwise it is listed in
    // WriteResult::moved and left as it is.
    virtual WriteResult writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected) = 0;

    // Connectivity, credentials, schema against the field contract, change capture.
    virtual QList<HealthCheck> healthChecks() = 0;

    // The layer's habits the planner must know (declared here rather than special-cased in the engine):
    // fields whose value the layer mints itself (Twenty's record id is crm_id): the merge takes them from it;
    virtual QStringList mintedFields() const { return {}; }
    // whether it stamps deletion times itself (Twenty's deletedAt): there, only "deleted or not" is its value;
    virtual bool stampsDeletionTimes() const { return false; }
    // whether it refuses two records with one primary email (Twenty, trash included): a new record there is
    // never a second entry of a person it already holds.
    virtual bool keepsPrimaryEmailsUnique() const { return false; }

    // A lock shared by every sync instance on every machine that writes this layer (Postgres advisory lock), so
    // two desktops never run a cycle against the same database at once. Layers without one always grant it.
    virtual bool tryAcquireCycleLock() { return true; }
    virtual void releaseCycleLock() {}

    // The longest wait a server may ask for (Retry-After) that this layer sits out within a cycle ([sync]
    // max_retry_after_s); a longer one fails the layer's part of the cycle. Only layers that are asked to wait use it.
    virtual void setMaxServerWaitMs(qint64 ms) { Q_UNUSED(ms); }

    // Of `held` (contacts the sync left in this layer), those the layer lost without a trace: a hard delete that
    // leaves no tombstone and no change to read (a person destroyed in Twenty's trash). The engine asks now and
    // then and treats them as deleted in this layer. Layers whose change capture sees every delete answer none.
    virtual QStringList vanishedContactIds(const QStringList &held)
    {
        Q_UNUSED(held);
        return {};
    }

signals:
    // A hint that changes are waiting (Postgres NOTIFY, SQLite change log, webhook); polling still catches up.
    void changesAvailable();
    // The layer pauses `ms` before it can go on (a rate limit, a server's Retry-After, a backoff), said so that a
    // pause never looks like a hang.
    void waiting(qint64 ms, const QString &reason);
};

} // namespace tf
