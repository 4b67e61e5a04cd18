#pragma once

#include "connectors/supabase/pgerrortranslator.h"

#include <memory>
#include <pqxx/connection>

namespace tf {

// The cycle lock shared by every sync instance on every machine that writes this table: a session-level
// pg_try_advisory_lock held on a connection of its own for the length of a cycle, so the working connection can
// be re-opened without dropping the lock, and a crashed instance's lock ends with its session. Session state:
// impossible on the transaction-mode pooler (§1.3), where the lock is granted without exclusion and the health
// check warns.
class AdvisoryCycleLock
{
public:
    AdvisoryCycleLock(const PgConnectionInfo &info, const PgErrorTranslator &errors, qint64 key);
    ~AdvisoryCycleLock();

    bool tryAcquire(); // throws ConnectorError when the server cannot be asked
    void release();
    bool isHeld() const { return m_connection != nullptr; }

private:
    const PgConnectionInfo &m_info;
    const PgErrorTranslator &m_errors;
    qint64 m_key;
    std::unique_ptr<pqxx::connection> m_connection; // set while the lock is held
};

} // namespace tf
