#include "connectors/supabase/supabaseconnector.h"

#include "connectors/supabase/pgnotificationlistener.h"
#include "connectors/supabase/supabasehealthcheck.h"
#include "core/logging.h"

#include <QThread>
#include <pqxx/except>

namespace tf {

namespace {

// Rows per write transaction: bounded so one transaction stays well inside the statement timeout on a small
// compute and a retry repeats little (§1.6: 5-10k rows per transaction).
constexpr int kRowsPerTransaction = 5000;

QString passwordOrEnvironment(const QString &password)
{
    return password.isEmpty() ? qEnvironmentVariable("TF_SUPABASE_PASSWORD") : password;
}

} // namespace

SupabaseConnector::SupabaseConnector(const SupabaseSettings &settings, const QString &password, QObject *parent)
    : Connector(parent)
    , m_info(settings.dsn, passwordOrEnvironment(password))
    , m_schema(settings.schema, settings.table)
    , m_errors(m_info, m_schema.displayName())
    , m_session(m_info, m_errors)
    , m_table(m_schema)
    , m_reader(m_schema, m_table)
    , m_writer(m_schema, m_table)
    , m_lock(m_info, m_errors, m_schema.advisoryKey(QStringLiteral("cycle")))
{
    // Refused before the first connection: under prefer, libpq silently falls back to plaintext, password included.
    if (m_info.allowsPlaintext() && !m_info.isLoopback() && !settings.allowInsecure) {
        throw ConnectorError(
            Layer::Supabase, ConnectorError::Kind::Configuration,
            QStringLiteral("sslmode=%1 lets %2 travel unencrypted to %3, another machine; add "
                           "sslmode=verify-full sslrootcert=<the CA file> (or at least require) to "
                           "the dsn, or set allow_insecure=true in [supabase] to accept that")
                .arg(m_info.sslMode(), QStringLiteral("the password and every contact"), m_info.host()));
    }
}

SupabaseConnector::~SupabaseConnector()
{
    delete m_listener; // now, while the connection info it refers to is alive (QObject would delete it later)
}

void SupabaseConnector::provision()
{
    m_session.run(QStringLiteral("provisioning"), {}, [this](pqxx::work &transaction) {
        // Two instances provisioning at once would race on CREATE ... IF NOT EXISTS; a transaction-level lock
        // serialises them and is pooler-safe.
        transaction.exec_params("SELECT pg_advisory_xact_lock($1)", m_schema.advisoryKey(QStringLiteral("provision")));
        for (const QString &statement : m_schema.provisionStatements())
            transaction.exec(statement.toStdString());
    });
    qCInfo(lcSupabase).noquote() << "provisioned" << m_schema.displayName() << "on" << m_info.describe();
}

ChangePage SupabaseConnector::readChanges(const QString &watermark, int limit)
{
    ChangePage page;
    m_session.run(QStringLiteral("reading changes"), {},
                  [&](pqxx::work &transaction) { page = m_reader.read(transaction, watermark, limit); });
    if (!page.hasMore)
        pruneChangeLog(watermark);
    startListening();
    return page;
}

QList<Contact> SupabaseConnector::readByIds(const QStringList &contactIds)
{
    QList<Contact> contacts;
    if (contactIds.isEmpty())
        return contacts;
    m_session.run(QStringLiteral("reading contacts by id"), {},
                  [&](pqxx::work &transaction) { contacts = m_table.byIds(transaction, contactIds); });
    return contacts;
}

WriteResult SupabaseConnector::writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected)
{
    WriteResult result;
    // One row per id (ON CONFLICT cannot touch a row twice in one statement): the last version wins.
    QList<Contact> rows;
    QHash<QString, int> position;
    for (const Contact &contact : contacts) {
        if (contact.id().isEmpty()) {
            result.rejected.insert(QString(), QStringLiteral("contact_id is empty"));
        } else if (position.contains(contact.id())) {
            rows[position.value(contact.id())] = contact;
        } else {
            position.insert(contact.id(), int(rows.size()));
            rows.append(contact);
        }
    }
    for (int start = 0; start < rows.size(); start += kRowsPerTransaction)
        writeChunk(rows.mid(start, kRowsPerTransaction), expected, result);
    return result;
}

// Each chunk is checked against `expected` and written in one transaction (BulkContactWriter), so a row cannot
// change between the check and the write.
void SupabaseConnector::writeChunk(const QList<Contact> &chunk, const ExpectedVersions &expected, WriteResult &result)
{
    const QString action = QStringLiteral("writing %1 contacts").arg(chunk.size());
    const PgSession::Options sync{true};
    WriteResult written;
    try {
        m_session.runRaw(sync,
                         [&](pqxx::work &transaction) { written = m_writer.writeBulk(transaction, chunk, expected); });
    } catch (const pqxx::sql_error &error) {
        if (!PgErrorTranslator::isRowLevel(error.sqlstate()))
            throw m_errors.translate(error, action);
        qCInfo(lcSupabase).noquote() << QStringLiteral("%1 failed on row data (%2); retrying row by row to isolate "
                                                       "the refused rows")
                                            .arg(action, PgErrorTranslator::describe(error));
        // A new transaction: the rows are checked against `expected` again, as they are now.
        m_session.run(action, sync,
                      [&](pqxx::work &transaction) { written = m_writer.writeRowByRow(transaction, chunk, expected); });
    } catch (const ConnectorError &) {
        throw;
    } catch (const std::exception &error) {
        throw m_errors.translate(error, action);
    }
    result.stored += written.stored;
    result.moved += written.moved;
    result.rejected.insert(written.rejected);
}

void SupabaseConnector::pruneChangeLog(const QString &appliedWatermark)
{
    try {
        m_session.runRaw({}, [&](pqxx::work &transaction) { m_reader.prune(transaction, appliedWatermark); });
    } catch (const std::exception &error) {
        // Housekeeping only (a read-only database refuses it, for one): the read itself succeeded.
        qCInfo(lcSupabase).noquote() << "change log not pruned:" << PgErrorTranslator::describe(error);
    }
}

void SupabaseConnector::startListening()
{
    // NOTIFY needs a real session (§1.3), and the listener's socket notifier must live in the thread that runs
    // this connector's event loop.
    if (m_listener || m_info.isTransactionPooler() || QThread::currentThread() != thread())
        return;
    m_listener = new PgNotificationListener(m_info, SupabaseSchema::notifyChannel(), this);
    connect(m_listener, &PgNotificationListener::notified, this, &Connector::changesAvailable);
    m_listener->start();
}

QList<HealthCheck> SupabaseConnector::healthChecks()
{
    return SupabaseHealthCheck(m_info, m_schema, m_errors).run();
}

bool SupabaseConnector::tryAcquireCycleLock()
{
    return m_lock.tryAcquire();
}

void SupabaseConnector::releaseCycleLock()
{
    m_lock.release();
}

} // namespace tf
