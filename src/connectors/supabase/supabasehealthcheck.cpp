#include "connectors/supabase/supabasehealthcheck.h"

#include "connectors/supabase/pgcontactcodec.h"

#include <QDateTime>
#include <functional>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>

namespace tf {

namespace {

constexpr double kSkewWarningSeconds = 5.0;

const QString kProvisionHint = QStringLiteral("Run `tfsync provision` to create what is missing.");

std::string utf8(const QString &text)
{
    return text.toStdString();
}

HealthCheck passed(const QString &name, const QString &message)
{
    return {name, true, false, message, {}};
}

HealthCheck failed(const QString &name, const QString &message, const QString &hint)
{
    return {name, false, false, message, hint};
}

// A check that could not even run its query fails with the server's reason instead of aborting the others.
HealthCheck guarded(const QString &name, const std::function<HealthCheck()> &check)
{
    try {
        return check();
    } catch (const std::exception &error) {
        return failed(name, PgErrorTranslator::describe(error), QString());
    }
}

} // namespace

SupabaseHealthCheck::SupabaseHealthCheck(const PgConnectionInfo &info, const SupabaseSchema &schema,
                                         const PgErrorTranslator &errors)
    : m_info(info)
    , m_schema(schema)
    , m_errors(errors)
{
}

HealthCheck SupabaseHealthCheck::connectionMode() const
{
    const QString name = QStringLiteral("connection mode");
    if (m_info.isTransactionPooler()) {
        return {name, true, true,
                QStringLiteral("port 6543 is Supavisor's transaction mode: no LISTEN/NOTIFY (changes are found by "
                               "polling only) and no advisory lock (two sync instances are not kept apart)"),
                QStringLiteral("Use the direct host (db.<ref>.supabase.co:5432) or the session pooler on port 5432 "
                               "(supabase-and-limits.md §1.3).")};
    }
    return passed(name, QStringLiteral("port %1: a real session (LISTEN and advisory locks available)").arg(m_info.port()));
}

HealthCheck SupabaseHealthCheck::transport() const
{
    const QString name = QStringLiteral("tls");
    const QString mode = m_info.sslMode();
    const bool verified = mode == QLatin1String("verify-full") || mode == QLatin1String("verify-ca");
    if (m_info.isLoopback())
        return passed(name, QStringLiteral("sslmode=%1 to this machine").arg(mode));
    if (verified)
        return passed(name, QStringLiteral("sslmode=%1").arg(mode));
    if (m_info.allowsPlaintext()) {
        // The connector refuses this unless the user accepted it by name.
        return {name, true, true,
                QStringLiteral("sslmode=%1 lets contacts travel unencrypted to %2 (allow_insecure=true in [supabase])")
                    .arg(mode, m_info.host()),
                QStringLiteral("Add sslmode=verify-full sslrootcert=<the project's CA file> to the dsn (§1.2).")};
    }
    return {name, true, true,
            QStringLiteral("sslmode=%1 does not verify the server (prefer even falls back to plaintext)").arg(mode),
            QStringLiteral("Add sslmode=verify-full sslrootcert=<the project's CA file> to the dsn (§1.2).")};
}

QList<HealthCheck> SupabaseHealthCheck::run() const
{
    QList<HealthCheck> checks{connectionMode(), transport()};
    std::unique_ptr<pqxx::connection> connection;
    try {
        connection = std::make_unique<pqxx::connection>(m_info.conninfo());
    } catch (const std::exception &error) {
        const QString message = m_info.redacted(QString::fromUtf8(error.what()).simplified());
        const PgConnectFailure failure = m_errors.classifyConnectFailure(message);
        const QString where = m_info.describe();
        if (failure.check != QLatin1String("reachable"))
            checks << passed(QStringLiteral("reachable"), QStringLiteral("%1 answered").arg(where));
        if (failure.check == QLatin1String("database"))
            checks << passed(QStringLiteral("credentials"), QStringLiteral("user %1 accepted").arg(m_info.user()));
        checks << failed(failure.check, QStringLiteral("%1: %2").arg(where, message), failure.hint);
        return checks;
    }
    checks << passed(QStringLiteral("reachable"),
                     QStringLiteral("%1 answered (PostgreSQL %2.%3)")
                         .arg(m_info.describe())
                         .arg(connection->server_version() / 10000)
                         .arg(connection->server_version() % 10000));
    checks << passed(QStringLiteral("credentials"), QStringLiteral("user %1 accepted").arg(m_info.user()));
    checks << tableSchema(*connection) << changeCapture(*connection) << rowLevelSecurity(*connection)
           << clockSkew(*connection);
    return checks;
}

HealthCheck SupabaseHealthCheck::tableSchema(pqxx::connection &connection) const
{
    const QString name = QStringLiteral("schema");
    return guarded(name, [&] {
        pqxx::nontransaction query(connection);
        const std::string table = utf8(m_schema.qualifiedTable());
        if (query.exec_params1("SELECT to_regclass($1) IS NULL", table)[0].as<bool>())
            return failed(name, QStringLiteral("table %1 does not exist").arg(m_schema.displayName()), kProvisionHint);
        QStringList names;
        QStringList types;
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            names << spec.name;
            types << SupabaseSchema::columnType(spec);
        }
        const pqxx::result columns = query.exec_params(
            "SELECT f.name, format_type(f.type::regtype, NULL), a.attname IS NOT NULL, "
            "format_type(a.atttypid, a.atttypmod), a.atttypid = f.type::regtype "
            "FROM unnest($1::text[], $2::text[]) AS f(name, type) "
            "LEFT JOIN pg_attribute a ON a.attrelid = to_regclass($3) AND a.attname = f.name AND a.attnum > 0 "
            "AND NOT a.attisdropped",
            utf8(PgContactCodec::textArrayLiteral(names)), utf8(PgContactCodec::textArrayLiteral(types)), table);
        QStringList problems;
        for (const pqxx::row &column : columns) {
            const QString field = QString::fromStdString(column[0].as<std::string>());
            const QString expected = QString::fromStdString(column[1].as<std::string>());
            if (!column[2].as<bool>())
                problems << QStringLiteral("column \"%1\" (%2) is missing").arg(field, expected);
            else if (!column[4].as<bool>())
                problems << QStringLiteral("column \"%1\" is %2, the contract says %3")
                                .arg(field, QString::fromStdString(column[3].as<std::string>()), expected);
        }
        const bool unique = query.exec_params1(
            "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnkeyatts = 1 "
            "AND a.attname = $2)",
            table, utf8(field::ContactId))[0].as<bool>();
        if (!unique)
            problems << QStringLiteral("%1 is not the primary key (upserts need it)").arg(field::ContactId);
        if (!problems.isEmpty())
            return failed(name, QStringLiteral("%1: %2").arg(m_schema.displayName(), problems.join(QStringLiteral("; "))),
                          kProvisionHint + QStringLiteral(" It adds missing columns; a column of the wrong type needs "
                                                          "ALTER TABLE ... ALTER COLUMN ... TYPE by hand."));
        return passed(name, QStringLiteral("%1 has the %2 contract columns").arg(m_schema.displayName()).arg(names.size()));
    });
}

HealthCheck SupabaseHealthCheck::changeCapture(pqxx::connection &connection) const
{
    const QString name = QStringLiteral("change capture");
    return guarded(name, [&] {
        pqxx::nontransaction query(connection);
        QStringList missing;
        if (query.exec_params1("SELECT to_regclass($1) IS NULL", utf8(m_schema.qualifiedChangeLog()))[0].as<bool>())
            missing << QStringLiteral("change log table %1.%2").arg(m_schema.schema(), m_schema.changeLogName());
        for (const QString &trigger : {SupabaseSchema::touchTrigger(), SupabaseSchema::captureTrigger(),
                                       SupabaseSchema::truncateTrigger()}) {
            const bool present = query.exec_params1("SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = "
                                                    "to_regclass($1) AND tgname = $2 AND tgenabled <> 'D')",
                                                    utf8(m_schema.qualifiedTable()), utf8(trigger))[0].as<bool>();
            if (!present)
                missing << QStringLiteral("trigger %1 (missing or disabled)").arg(trigger);
        }
        if (!missing.isEmpty())
            return failed(name, QStringLiteral("%1: %2").arg(m_schema.displayName(), missing.join(QStringLiteral(", "))),
                          kProvisionHint);
        return passed(name, QStringLiteral("triggers log every insert, update and delete of %1 to %2")
                                .arg(m_schema.displayName(), m_schema.changeLogName()));
    });
}

HealthCheck SupabaseHealthCheck::rowLevelSecurity(pqxx::connection &connection) const
{
    const QString name = QStringLiteral("row level security");
    return guarded(name, [&] {
        pqxx::nontransaction query(connection);
        const pqxx::result rows = query.exec_params("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass($1)",
                                                    utf8(m_schema.qualifiedTable()));
        if (rows.empty() || rows[0][0].as<bool>())
            return passed(name, QStringLiteral("RLS is on for %1 (or the table is not there yet)").arg(m_schema.displayName()));
        return HealthCheck{name, true, true,
                           QStringLiteral("RLS is off for %1: the Data API's anon key can read and write it").arg(m_schema.displayName()),
                           QStringLiteral("Run `tfsync provision` (it enables RLS without policies, §1.5).")};
    });
}

HealthCheck SupabaseHealthCheck::clockSkew(pqxx::connection &connection) const
{
    const QString name = QStringLiteral("clock skew");
    return guarded(name, [&] {
        pqxx::nontransaction query(connection);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const double server = query.exec1("SELECT extract(epoch FROM clock_timestamp())::float8")[0].as<double>();
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        const double skew = server - double(before + after) / 2000.0;
        const QString message = QStringLiteral("the server's clock is %1 s %2 this computer's (round trip %3 ms)")
                                    .arg(qAbs(skew), 0, 'f', 3)
                                    .arg(skew >= 0 ? QStringLiteral("ahead of") : QStringLiteral("behind"))
                                    .arg(after - before);
        if (qAbs(skew) <= kSkewWarningSeconds)
            return passed(name, message);
        return HealthCheck{name, true, true, message,
                           QStringLiteral("updated_at stamps from different clocks decide last-writer-wins; "
                                          "synchronise this computer's clock (NTP).")};
    });
}

} // namespace tf
