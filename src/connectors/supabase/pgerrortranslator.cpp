#include "connectors/supabase/pgerrortranslator.h"

#include <pqxx/except>

namespace tf {

namespace {

using Kind = ConnectorError::Kind;

// libpq's text spans lines (DETAIL, HINT, CONTEXT) and starts with the severity; a message is one line.
QString oneLine(const char *text)
{
    QString line = QString::fromUtf8(text).simplified();
    if (line.startsWith(QLatin1String("ERROR: ")))
        line.remove(0, 7);
    return line;
}

} // namespace

PgErrorTranslator::PgErrorTranslator(const PgConnectionInfo &info, const QString &table)
    : m_info(info)
    , m_table(table)
{
}

bool PgErrorTranslator::isRowLevel(const std::string &sqlState)
{
    return sqlState.rfind("22", 0) == 0 || sqlState.rfind("23", 0) == 0 || sqlState.rfind("54", 0) == 0;
}

QString PgErrorTranslator::describe(const std::exception &error)
{
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&error); sql && !sql->sqlstate().empty())
        return QStringLiteral("%1 (SQLSTATE %2)").arg(oneLine(sql->what()), QString::fromStdString(sql->sqlstate()));
    return oneLine(error.what());
}

PgConnectFailure PgErrorTranslator::classifyConnectFailure(const QString &message) const
{
    const auto has = [&](const char *needle) { return message.contains(QLatin1String(needle), Qt::CaseInsensitive); };
    const bool supabase = m_info.host().contains(QLatin1String("supabase."));
    const QString paused = supabase ? QStringLiteral(" A paused Supabase project refuses connections: restore it in the dashboard.")
                                    : QString();
    if (has("password authentication failed") || has("no password supplied") || has("SCRAM")) {
        return {QStringLiteral("credentials"), Kind::Authentication,
                QStringLiteral("Give user %1 a password the way libpq takes one: TF_SUPABASE_PASSWORD or the keychain "
                               "entry, a ~/.pgpass line, PGPASSWORD, or password= in the dsn; a password with special "
                               "characters must be percent-encoded inside a postgresql:// URI.")
                    .arg(m_info.user())};
    }
    if (has("Tenant or user not found") || (has("role \"") && has("does not exist"))) {
        return {QStringLiteral("credentials"), Kind::Authentication,
                QStringLiteral("On the Supabase pooler the user is postgres.<project-ref>, on the direct host it is "
                               "postgres.")
                    + paused};
    }
    if (has("database \"") && has("does not exist")) {
        return {QStringLiteral("database"), Kind::Configuration,
                QStringLiteral("Supabase's database is called postgres; check dbname in the [supabase] dsn.")};
    }
    if (has("too many connections") || has("too many clients") || has("remaining connection slots")) {
        return {QStringLiteral("reachable"), Kind::Transient,
                QStringLiteral("The server's max_connections is used up (Nano/Micro allow 60, §1.7); close other "
                               "clients or use the pooler.")};
    }
    if (has("starting up") || has("shutting down") || has("recovery mode") || has("not yet accepting")) {
        return {QStringLiteral("reachable"), Kind::Transient,
                QStringLiteral("The database is restarting; try again in a minute.") + paused};
    }
    if (has("SSL") || has("certificate")) {
        return {QStringLiteral("reachable"), Kind::Unreachable,
                QStringLiteral("TLS failed: with sslmode=verify-full set sslrootcert to the project's CA file "
                               "(prod-ca-2021.crt from the dashboard, §1.2).")};
    }
    if (has("could not translate host name") || has("Network is unreachable") || has("No route to host")) {
        return {QStringLiteral("reachable"), Kind::Unreachable,
                supabase ? QStringLiteral("The direct host db.<ref>.supabase.co is IPv6-only (§1.1); on an IPv4-only "
                                          "network use the session pooler (aws-<n>-<region>.pooler.supabase.com:5432).")
                         : QStringLiteral("Check the host name and the network.")};
    }
    return {QStringLiteral("reachable"), Kind::Unreachable,
            QStringLiteral("Check host and port, and that the server accepts connections from this computer.") + paused};
}

ConnectorError PgErrorTranslator::sqlError(const QString &message, const QString &state, const QString &action) const
{
    const QString where = QStringLiteral("%1 on %2 at %3 failed: %4 (SQLSTATE %5)")
                              .arg(action, m_table, m_info.describe(), message, state);
    const auto error = [&](Kind kind, const QString &text) {
        return ConnectorError(Layer::Supabase, kind, m_info.redacted(text));
    };
    if (state == QLatin1String("25006"))
        return error(Kind::Rejected, where + QStringLiteral(" - database is read-only (quota?): a free project turns "
                                                            "read-only above 500 MB (§1.7)"));
    if (state == QLatin1String("57014"))
        return error(Kind::Transient, where + QStringLiteral(" - statement timed out"));
    if (state == QLatin1String("53300") || state == QLatin1String("40001") || state == QLatin1String("40P01")
        || state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57P")))
        return error(Kind::Transient, where);
    if (state.startsWith(QLatin1String("28")))
        return error(Kind::Authentication, where);
    if (state == QLatin1String("42501"))
        return error(Kind::Authentication, where + QStringLiteral(" - the role lacks a grant on the sync tables (§1.5)"));
    if (state == QLatin1String("42703") || state == QLatin1String("42P01") || state == QLatin1String("42804")
        || state == QLatin1String("42P10") || state == QLatin1String("3F000") || state == QLatin1String("42883"))
        return error(Kind::Schema, where + QStringLiteral(" - the table does not match the field contract; run "
                                                          "`tfsync provision`"));
    if (isRowLevel(state.toStdString()) || state.startsWith(QLatin1String("53")))
        return error(Kind::Rejected, where);
    return error(Kind::Internal, where);
}

ConnectorError PgErrorTranslator::translate(const std::exception &error, const QString &action) const
{
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&error); sql && !sql->sqlstate().empty())
        return sqlError(oneLine(sql->what()), QString::fromStdString(sql->sqlstate()), action);
    const QString message = m_info.redacted(oneLine(error.what()));
    if (dynamic_cast<const pqxx::in_doubt_error *>(&error)) {
        return ConnectorError(Layer::Supabase, Kind::Transient,
                              QStringLiteral("%1 on %2 at %3: the connection broke during COMMIT, so the outcome is "
                                             "unknown (%4); the write is idempotent and is retried")
                                  .arg(action, m_table, m_info.describe(), message));
    }
    if (dynamic_cast<const pqxx::broken_connection *>(&error)) {
        const PgConnectFailure failure = classifyConnectFailure(message);
        return ConnectorError(Layer::Supabase, failure.kind,
                              QStringLiteral("%1 on %2: cannot connect to %3: %4 Hint: %5")
                                  .arg(action, m_table, m_info.describe(), message, failure.hint));
    }
    return ConnectorError(Layer::Supabase, Kind::Internal,
                          QStringLiteral("%1 on %2 at %3 failed: %4").arg(action, m_table, m_info.describe(), message));
}

} // namespace tf
