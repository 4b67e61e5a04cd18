#pragma once

#include "connectors/supabase/pgerrortranslator.h"
#include "connectors/supabase/supabaseschema.h"
#include <pqxx/connection>

namespace tf {

// The supabase part of the safety check, on a short-lived connection of its own: connection mode and TLS (from
// the DSN alone), reachable / credentials / database (each failure told apart with a hint), the table against the
// field contract, change capture, RLS and the server's clock.
class SupabaseHealthCheck
{
public:
    SupabaseHealthCheck(const PgConnectionInfo &info, const SupabaseSchema &schema, const PgErrorTranslator &errors);

    QList<HealthCheck> run() const;

private:
    HealthCheck connectionMode() const;
    HealthCheck transport() const;
    HealthCheck tableSchema(pqxx::connection &connection) const;
    HealthCheck changeCapture(pqxx::connection &connection) const;
    HealthCheck rowLevelSecurity(pqxx::connection &connection) const;
    HealthCheck clockSkew(pqxx::connection &connection) const;

    const PgConnectionInfo &m_info;
    const SupabaseSchema &m_schema;
    const PgErrorTranslator &m_errors;
};

} // namespace tf
