#include "connectors/supabase/advisorycyclelock.h"

#include "core/logging.h"

#include <pqxx/connection>
#include <pqxx/nontransaction>

namespace tf {

AdvisoryCycleLock::AdvisoryCycleLock(const PgConnectionInfo &info, const PgErrorTranslator &errors, qint64 key)
    : m_info(info)
    , m_errors(errors)
    , m_key(key)
{
}

AdvisoryCycleLock::~AdvisoryCycleLock()
{
    release();
}

bool AdvisoryCycleLock::tryAcquire()
{
    if (m_info.isTransactionPooler()) {
        qCWarning(lcSupabase) << "port 6543 (transaction-mode pooler): advisory locks are impossible, so nothing keeps "
                                 "a second sync instance out of this cycle";
        return true;
    }
    if (m_connection)
        return true;
    try {
        auto connection = std::make_unique<pqxx::connection>(m_info.conninfo());
        pqxx::nontransaction session(*connection);
        if (!session.exec_params1("SELECT pg_try_advisory_lock($1)", m_key)[0].as<bool>())
            return false;
        session.commit();
        m_connection = std::move(connection);
        return true;
    } catch (const std::exception &error) {
        throw m_errors.translate(error, QStringLiteral("taking the cycle lock"));
    }
}

void AdvisoryCycleLock::release()
{
    if (!m_connection)
        return;
    try {
        pqxx::nontransaction session(*m_connection);
        session.exec_params("SELECT pg_advisory_unlock($1)", m_key);
    } catch (const std::exception &error) {
        // Closing the session below ends the lock anyway.
        qCWarning(lcSupabase).noquote() << "releasing the cycle lock:" << m_info.redacted(QString::fromUtf8(error.what()));
    }
    m_connection.reset();
}

} // namespace tf
