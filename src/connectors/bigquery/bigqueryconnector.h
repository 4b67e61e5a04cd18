#pragma once

#include "connectors/bigquery/bigqueryclient.h"
#include "connectors/bigquery/contactstatements.h"
#include "connectors/bigquery/mergebatcher.h"
#include "connectors/bigquery/queryrunner.h"
#include "connectors/bigquery/tableprovisioner.h"
#include "core/connector.h"
#include "core/syncconfig.h"

namespace tf {

// The `bigquery` layer, the canonical store: one table `project.dataset.table` with the contract's columns, over
// BigQuery's REST API v2 (specs/bigquery-rest.md) with service-account JWT auth (BigQueryEndpoint says when).
//
// Reads: parameterized jobs.query run to completion by QueryRunner. readChanges pages in the keyset order
// (updated_at, contact_id) (BigQueryWatermark), readByIds selects `contact_id IN UNNEST(@ids)`.
//
// Writes: never tabledata.insertAll — streamed rows block UPDATE/MERGE for ~30 minutes (§2.3). Each batch is one
// MERGE with the contacts in an ARRAY<STRUCT<…>> parameter (§2.5), batches bounded by MergeLimits, one MERGE at
// a time per table in this process (BigQuery runs two per table and queues the rest, §2.4). updated_at is the
// writer's: CURRENT_TIMESTAMP() in the MERGE; identical content changes nothing (ContactStatements::merge). A
// retried MERGE carries the same requestId, so one whose answer was lost is not applied twice. The stored
// contacts are read back with one SELECT after the batches. Tombstones are rows with deleted_at set; nothing is
// ever deleted.
//
// Conditional writes: a row `expected` constrains is only updated while its updated_at is the planned version's,
// only inserted when the planner saw none; the condition is part of the MERGE itself, so nothing can slip in
// between a check and the write. The read-back tells the refused rows (WriteResult::moved) from the written ones
// at no extra request.
class BigQueryConnector : public Connector
{
    Q_OBJECT
public:
    // `keychainKeyJson`: the service-account key the caller found in the keychain, used only when neither the config
    // nor GOOGLE_APPLICATION_CREDENTIALS names a key file. Throws ConnectorError (Configuration).
    explicit BigQueryConnector(const BigQuerySettings &settings, const QByteArray &keychainKeyJson = {},
                               QObject *parent = nullptr);
    ~BigQueryConnector() override;

    Layer layer() const override { return Layer::BigQuery; }
    void provision() override;
    ChangePage readChanges(const QString &watermark, int limit) override;
    QList<Contact> readByIds(const QStringList &contactIds) override;
    WriteResult writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected) override;
    QList<HealthCheck> healthChecks() override;
    void setMaxServerWaitMs(qint64 ms) override { m_client.transport().setMaxRetryAfterMs(ms); }

    void setRetryPolicy(const RetryPolicy &policy) { m_client.setRetryPolicy(policy); }
    void setTimeoutMs(int timeoutMs) { m_client.setTimeoutMs(timeoutMs); }
    void setPollTimeoutMs(int timeoutMs) { m_runner.setPollTimeoutMs(timeoutMs); }
    void setPageSize(int maxResults) { m_pageSize = maxResults; } // rows per results page (maxResults)
    void setMergeLimits(const MergeLimits &limits) { m_limits = limits; }

    const TableRef &table() const { return m_table; }
    int requestsSent() const { return m_client.requestsSent(); }
    int tokenExchanges() const { return m_client.tokenExchanges(); }
    int mergesRun() const { return m_mergesRun; }
    // Rows the MERGEs of this connector inserted or changed (numDmlAffectedRows): 0 for a rewrite of stored content.
    qint64 rowsChanged() const { return m_rowsChanged; }

    static constexpr int kIdsPerQuery = 5000; // @ids elements per SELECT, well inside 10,000 parameters

private:
    QList<Contact> selectByIds(const QStringList &contactIds, const QString &purpose);
    static QList<Contact> lastVersions(const QList<Contact> &contacts, WriteResult &result);
    qint64 mergeFixedBytes() const;
    void merge(const MergeBatch &batch);
    void sortOutByReadBack(const QList<Contact> &merged, const ExpectedVersions &expected, WriteResult &result);

    BigQueryClient m_client;
    QueryRunner m_runner;
    TableRef m_table;
    ContactStatements m_statements;
    TableProvisioner m_provisioner;
    MergeLimits m_limits;
    int m_pageSize = 1000;
    int m_mergesRun = 0;
    qint64 m_rowsChanged = 0;
};

} // namespace tf
