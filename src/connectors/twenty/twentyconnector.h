#pragma once

#include "connectors/twenty/companyresolver.h"
#include "connectors/twenty/twentyclient.h"
#include "core/connector.h"
#include "core/syncconfig.h"

#include <QJsonObject>

namespace tf {

struct TwentyStream;

// The `crm` layer: Twenty's people over its REST API (specs/twenty-rest.md).
//
// Reads: two change streams, live people by updatedAt and trashed ones by deletedAt (soft-deleted rows are hidden
// from the first, §2.1), each paged with starting_after and kept in one watermark (TwentyWatermark). A person a
// human created in Twenty has no tfContactId: it gets a UUIDv7 contact_id minted here and written back, so the
// id stays stable, and it is reported like any change. Writes made by the sync come back as changes too; the
// engine recognises them by their content hash.
//
// Writes: per batch of at most 60, one lookup of the people concerned (by tfContactId, crm_id and primary email,
// trash included), then one POST /rest/batch/people?upsert=true. Every record carries its Twenty id (the existing
// one, or a fresh UUID v4), and tfContactId is unique, so a request retried after its answer was lost updates the
// same rows instead of adding duplicates. Composites are always sent whole (§9 #14). Tombstones are soft deletes
// (DELETE ?soft_delete=true, never the default, §9 #7); a live write of a trashed person restores it. A record
// Twenty refuses, or whose primary email another person holds (even in the trash, §9 #9), lands in
// WriteResult.rejected with the reason; nobody else's record is ever overwritten or deleted. Twenty has no
// conditional update: a contact `expected` constrains is checked against that same lookup, just before the POST,
// and left out as moved when its person changed since the write was planned (dropMoved: the window it leaves, and
// its cost, which is no extra request).
class TwentyConnector : public Connector
{
    Q_OBJECT
public:
    // `apiKey` comes from TF_TWENTY_API_KEY or the keychain (the caller's business); "" sends no key at all.
    TwentyConnector(const CrmSettings &settings, const QString &apiKey, QObject *parent = nullptr);
    ~TwentyConnector() override;

    Layer layer() const override { return Layer::Crm; }
    void provision() override;
    ChangePage readChanges(const QString &watermark, int limit) override;
    QList<Contact> readByIds(const QStringList &contactIds) override;
    WriteResult writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected) override;
    QStringList mintedFields() const override { return {field::CrmId}; }
    bool stampsDeletionTimes() const override { return true; }
    bool keepsPrimaryEmailsUnique() const override { return true; }
    QList<HealthCheck> healthChecks() override;
    void setMaxServerWaitMs(qint64 ms) override { m_client.transport().setMaxRetryAfterMs(ms); }

    // Destroyed people leave no trace in the API (§3.4, §9 #8): of `held`, those no person carries any more, live
    // or trashed. It scans every person's tfContactId, 200 per request.
    QStringList vanishedContactIds(const QStringList &held) override;

    void setRetryPolicy(const RetryPolicy &policy) { m_client.setRetryPolicy(policy); }
    void setTimeoutMs(int timeoutMs) { m_client.setTimeoutMs(timeoutMs); }
    // How far each scan reaches back before the newest change it saw (TwentyWatermark); 1 s by default.
    void setWatermarkOverlapMs(qint64 overlapMs) { m_overlapMs = overlapMs; }
    int requestsSent() const { return m_client.requestsSent(); }

    static constexpr int kBatchMax = 60; // records per batch call (§3.5, §6: one rate token each)

private:
    struct Pending;

    void ensureSchema();
    bool readStream(TwentyStream &stream, const QString &stampField, int want, QList<QJsonObject> &rows);
    QJsonObject mintContactId(const QJsonObject &person);
    QList<Contact> toContacts(const QList<QJsonObject> &people);
    QList<QJsonObject> findPeople(const QList<QPair<QString, QStringList>> &valuesByField);
    void writeChunk(const QList<Contact> &contacts, const ExpectedVersions &expected, WriteResult &result);
    void plan(QList<Pending> &pending, const ExpectedVersions &expected, WriteResult &result);
    void dropMoved(QList<Pending> &pending, const QHash<QString, QJsonObject> &byContactId,
                   const ExpectedVersions &expected, WriteResult &result);
    QHash<QString, QJsonObject> upsert(QList<Pending> &pending, WriteResult &result);
    QString emailHolderDescription(const QString &email);

    TwentyClient m_client;
    CompanyResolver m_companies;
    qint64 m_overlapMs = 1000;
    bool m_schemaVerified = false;
};

} // namespace tf
