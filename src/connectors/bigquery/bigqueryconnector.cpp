#include "connectors/bigquery/bigqueryconnector.h"

#include "connectors/bigquery/bigqueryhealthcheck.h"
#include "connectors/bigquery/contactrowreader.h"
#include "connectors/bigquery/parameterencoder.h"
#include "connectors/http/plaintextguard.h"
#include "core/contenthash.h"
#include "core/logging.h"

#include <QJsonDocument>
#include <QMutex>
#include <QSet>
#include <map>
#include <memory>

namespace tf {

namespace {

// One MERGE at a time per table from this process, also when two connectors share it (the engine's and a push).
QMutex &mergeLock(const QString &table)
{
    static QMutex guard;
    static std::map<QString, std::unique_ptr<QMutex>> locks;
    QMutexLocker locker(&guard);
    std::unique_ptr<QMutex> &lock = locks[table];
    if (!lock)
        lock = std::make_unique<QMutex>();
    return *lock;
}

QString context(const QueryResult &result, const QString &target)
{
    return QStringLiteral("jobs.query (%1, job %2)").arg(target, result.jobId);
}

} // namespace

BigQueryConnector::BigQueryConnector(const BigQuerySettings &settings, const QByteArray &keychainKeyJson, QObject *parent)
    : Connector(parent)
    , m_client(BigQueryEndpoint::resolve(settings, keychainKeyJson))
    , m_runner(m_client, settings.location)
    , m_table(TableRef::fromSettings(settings, m_client.endpoint().project))
    , m_statements(m_table)
    , m_provisioner(m_client, m_table, settings.location)
{
    const BigQueryEndpoint &endpoint = m_client.endpoint();
    PlaintextGuard::requireEncryption(Layer::BigQuery, endpoint.baseUrl, settings.allowInsecure,
                                      endpoint.key ? QStringLiteral("the access token and every contact")
                                                   : QStringLiteral("every contact"));
    if (endpoint.key) {
        PlaintextGuard::requireEncryption(
            Layer::BigQuery, endpoint.key->tokenUri, settings.allowInsecure,
            QStringLiteral("the signed token request of %1").arg(endpoint.key->clientEmail));
    }
    m_client.transport().setWaitObserver([this](qint64 ms, const QString &reason) { emit waiting(ms, reason); });
    qCDebug(lcBigQuery).noquote() << "table" << m_table.display() << "through" << endpoint.describe();
}

BigQueryConnector::~BigQueryConnector() = default;

void BigQueryConnector::provision()
{
    m_provisioner.provision();
}

QList<HealthCheck> BigQueryConnector::healthChecks()
{
    return BigQueryHealthCheck(m_client, m_provisioner, m_table).run();
}

ChangePage BigQueryConnector::readChanges(const QString &watermark, int limit)
{
    const BigQueryWatermark from = BigQueryWatermark::decode(watermark);
    limit = std::max(1, limit);
    QueryRequest request;
    // One row more than asked tells whether more are waiting.
    request.sql = m_statements.selectChanges(from, limit + 1);
    request.target = QStringLiteral("read changes from %1").arg(m_table.display());
    request.maxResults = m_pageSize;
    if (!from.atStart) {
        request.parameters.append(ParameterEncoder::string(QStringLiteral("id"), from.contactId));
        if (from.updatedAtMicros)
            request.parameters.append(ParameterEncoder::timestamp(QStringLiteral("ts"), *from.updatedAtMicros));
    }
    const QueryResult result = m_runner.run(request);

    ChangePage page;
    page.nextWatermark = watermark;
    if (result.rows.isEmpty())
        return page;
    const ContactRowReader reader(result.schema, context(result, request.target));
    page.hasMore = result.rows.size() > limit;
    const int count = std::min<int>(limit, int(result.rows.size()));
    for (int i = 0; i < count; ++i)
        page.contacts.append(reader.contact(result.rows.at(i), i));
    const QJsonValue last = result.rows.at(count - 1);
    page.nextWatermark =
        BigQueryWatermark::after(reader.updatedAtMicros(last, count - 1), page.contacts.constLast().id()).encode();
    return page;
}

QList<Contact> BigQueryConnector::readByIds(const QStringList &contactIds)
{
    return selectByIds(contactIds, QStringLiteral("read %1 contacts by id from %2"));
}

QList<Contact> BigQueryConnector::selectByIds(const QStringList &contactIds, const QString &purpose)
{
    QList<Contact> contacts;
    for (qsizetype start = 0; start < contactIds.size(); start += kIdsPerQuery) {
        const QStringList ids = contactIds.mid(start, kIdsPerQuery);
        QueryRequest request;
        request.sql = m_statements.selectByIds();
        request.parameters.append(ParameterEncoder::stringArray(QStringLiteral("ids"), ids));
        request.target = purpose.arg(ids.size()).arg(m_table.display());
        request.maxResults = m_pageSize;
        const QueryResult result = m_runner.run(request);
        if (result.rows.isEmpty())
            continue;
        const ContactRowReader reader(result.schema, context(result, request.target));
        for (qsizetype i = 0; i < result.rows.size(); ++i)
            contacts.append(reader.contact(result.rows.at(i), int(i)));
    }
    return contacts;
}

WriteResult BigQueryConnector::writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected)
{
    WriteResult result;
    const QList<Contact> unique = lastVersions(contacts, result);
    const QList<MergeBatch> batches
        = MergeBatcher(m_limits, mergeFixedBytes()).split(unique, expected, &result.rejected);
    QList<Contact> merged;
    for (const MergeBatch &batch : batches) {
        merge(batch);
        merged += batch.contacts;
    }
    if (!merged.isEmpty())
        sortOutByReadBack(merged, expected, result);
    return result;
}

// One source row per target row: MERGE refuses a batch that names a contact twice. The last version wins.
QList<Contact> BigQueryConnector::lastVersions(const QList<Contact> &contacts, WriteResult &result)
{
    QHash<QString, qsizetype> lastIndex;
    for (qsizetype i = 0; i < contacts.size(); ++i) {
        if (contacts.at(i).id().isEmpty())
            result.rejected.insert(QString(), QStringLiteral("a contact without contact_id"));
        else
            lastIndex.insert(contacts.at(i).id(), i);
    }
    QList<Contact> unique;
    for (qsizetype i = 0; i < contacts.size(); ++i) {
        if (!contacts.at(i).id().isEmpty() && lastIndex.value(contacts.at(i).id()) == i)
            unique.append(contacts.at(i));
    }
    return unique;
}

qint64 BigQueryConnector::mergeFixedBytes() const
{
    return m_statements.merge().toUtf8().size()
        + QJsonDocument(ParameterEncoder::mergeRows(QStringLiteral("rows"), {})).toJson(QJsonDocument::Compact).size()
        + 1024; // the rest of the request body
}

// A MERGE does not say which rows its conditions refused; the read-back does. A constrained row that does not hold
// what was sent was refused (someone changed it after the planner read it) and is `moved`. A row that holds what
// was sent is stored whatever the condition said: a MERGE that committed but whose answer was lost, sent again as
// a new job (the engine resending its journaled batch; a requestId only covers resends of the same request), finds
// updated_at moved by its own first run and refuses the row, which already holds the write. An outside edit landing
// between the MERGE and this read makes a written row look moved; the engine then re-reads it, which it had to do for
// that edit anyway. Unconstrained rows are stored as read, as before conditions existed.
void BigQueryConnector::sortOutByReadBack(const QList<Contact> &merged, const ExpectedVersions &expected,
                                          WriteResult &result)
{
    QStringList ids;
    for (const Contact &contact : merged)
        ids.append(contact.id());
    QHash<QString, Contact> readBack;
    for (const Contact &contact : selectByIds(ids, QStringLiteral("read back %1 merged contacts from %2")))
        readBack.insert(contact.id(), contact);
    for (const Contact &sent : merged) {
        const auto found = readBack.constFind(sent.id());
        const bool holdsSent = found != readBack.cend() && ContentHash::of(*found) == ContentHash::of(sent);
        if (expected.constrains(sent.id()) && !holdsSent)
            result.moved.append(sent.id());
        else if (found != readBack.cend())
            result.stored.append(*found);
        else
            result.rejected.insert(sent.id(), QStringLiteral("not found in %1 after its MERGE").arg(m_table.display()));
    }
}

void BigQueryConnector::merge(const MergeBatch &batch)
{
    QueryRequest request;
    request.sql = m_statements.merge();
    request.parameters.append(ParameterEncoder::mergeRows(QStringLiteral("rows"), batch.rowValues));
    request.target = QStringLiteral("MERGE %1 rows into %2").arg(batch.contacts.size()).arg(m_table.display());
    QMutexLocker locker(&mergeLock(m_client.endpoint().baseUrl.toString() + m_table.display()));
    const QueryResult result = m_runner.run(request);
    ++m_mergesRun;
    m_rowsChanged += std::max<qint64>(0, result.dmlAffectedRows);
    qCInfo(lcBigQuery).noquote() << request.target << "(job" << result.jobId << "):" << result.dmlAffectedRows
                                 << "rows changed," << batch.bytes << "bytes";
}

} // namespace tf
