#pragma once

#include "connectors/supabase/pgconnectioninfo.h"
#include "core/connector.h"

#include <exception>

namespace tf {

// Why a connection attempt failed, in the terms a person can act on (§1.1, §1.7: a paused project, the IPv6-only
// direct host, the pooler's tenant-qualified user name).
struct PgConnectFailure {
    QString check;   // the health check it fails: "reachable", "credentials" or "database"
    ConnectorError::Kind kind = ConnectorError::Kind::Unreachable;
    QString hint;
};

// Turns libpqxx/libpq failures into ConnectorErrors that name the table, user@host:port/database and the SQLSTATE,
// with the kind the engine's retry policy acts on. Never the password.
class PgErrorTranslator
{
public:
    PgErrorTranslator(const PgConnectionInfo &info, const QString &table);

    // `action` says what was being done, e.g. "reading changes".
    ConnectorError translate(const std::exception &error, const QString &action) const;
    PgConnectFailure classifyConnectFailure(const QString &libpqMessage) const;
    // SQLSTATE classes the server raises for one row's data (22 data exception, 23 constraint, 54 limits such as an
    // oversized index entry): the batch is worth retrying row by row to isolate the poison rows.
    static bool isRowLevel(const std::string &sqlState);
    static QString describe(const std::exception &error); // "message (SQLSTATE x)", one line

private:
    ConnectorError sqlError(const QString &message, const QString &state, const QString &action) const;

    const PgConnectionInfo &m_info;
    QString m_table;
};

} // namespace tf
