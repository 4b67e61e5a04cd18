#include "connectors/supabase/pgsession.h"

#include "core/logging.h"

#include <pqxx/except>

namespace tf {

namespace {

// Above Supabase's 2 min default for the postgres role, so a 5,000-row chunk on a small compute is not cut off by
// a limit nobody chose, yet bounded (§1.6).
const char *const kStatementTimeout = "120s";

} // namespace

PgSession::PgSession(const PgConnectionInfo &info, const PgErrorTranslator &errors)
    : m_info(info)
    , m_errors(errors)
{
}

PgSession::~PgSession() = default;

pqxx::connection &PgSession::connection()
{
    if (!m_connection || !m_connection->is_open()) {
        m_connection.reset();
        m_connection = std::make_unique<pqxx::connection>(m_info.conninfo());
        qCDebug(lcSupabase) << "connected to" << m_info.describe();
    }
    return *m_connection;
}

void PgSession::runRaw(const Options &options, const std::function<void(pqxx::work &)> &work)
{
    for (int attempt = 0;; ++attempt) {
        const bool reused = m_connection != nullptr;
        try {
            pqxx::work transaction(connection());
            // extra_float_digits: float8 text is then the shortest exact form, whatever the server's default.
            transaction.exec_params(std::string("SELECT set_config('statement_timeout', $1, true), "
                                                "set_config('extra_float_digits', '3', true), "
                                                "set_config('truthforge.origin', $2, true)"),
                                    kStatementTimeout, options.syncOrigin ? "sync" : "");
            work(transaction);
            transaction.commit();
            return;
        } catch (const pqxx::in_doubt_error &) {
            m_connection.reset();
            throw;
        } catch (const pqxx::broken_connection &) {
            m_connection.reset();
            if (!reused || attempt > 0)
                throw;
            qCInfo(lcSupabase) << "connection to" << m_info.describe() << "was lost while idle; reconnecting";
        }
    }
}

void PgSession::run(const QString &action, const Options &options, const std::function<void(pqxx::work &)> &work)
{
    try {
        runRaw(options, work);
    } catch (const ConnectorError &) {
        throw;
    } catch (const std::exception &error) {
        throw m_errors.translate(error, action);
    }
}

} // namespace tf
