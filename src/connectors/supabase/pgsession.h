#pragma once

#include "connectors/supabase/pgerrortranslator.h"

#include <functional>
#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction>

namespace tf {

// The connector's one working connection (§1.1: a sync tool uses 1-2 connections, never a pool), opened on first
// use and re-opened after it broke. Every statement runs inside a transaction started here, and whatever a
// statement needs from the session is set with set_config(..., true), i.e. SET LOCAL: on the transaction-mode
// pooler (port 6543) consecutive transactions may run on different server backends, so nothing may rely on
// session state (§1.3 rules a-c). Only unnamed statements (exec_params) and COPY are used for the same reason.
class PgSession
{
public:
    struct Options {
        bool syncOrigin = false; // mark the transaction's writes as the sync's own (the change log skips them)
    };

    PgSession(const PgConnectionInfo &info, const PgErrorTranslator &errors);
    ~PgSession();

    // Runs `work` in one transaction and commits it; a failure becomes a ConnectorError about `action`.
    // A connection that broke while idle (server restart, pooler recycle) is re-opened and `work` runs again once:
    // nothing of the broken attempt was committed. `work` must therefore start from scratch each time it is called.
    void run(const QString &action, const Options &options, const std::function<void(pqxx::work &)> &work);
    // The same, but failures reach the caller as the libpqxx exceptions (to isolate rows, then translate).
    void runRaw(const Options &options, const std::function<void(pqxx::work &)> &work);

private:
    pqxx::connection &connection();

    const PgConnectionInfo &m_info;
    const PgErrorTranslator &m_errors;
    std::unique_ptr<pqxx::connection> m_connection;
};

} // namespace tf
