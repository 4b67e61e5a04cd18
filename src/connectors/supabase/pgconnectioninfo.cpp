#include "connectors/supabase/pgconnectioninfo.h"

#include "connectors/http/plaintextguard.h"
#include "core/connector.h"

#include <libpq-fe.h>

namespace tf {

namespace {

QString quotedValue(const QString &value)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

PgConnectionInfo::PgConnectionInfo(const QString &dsn, const QString &password)
{
    char *error = nullptr;
    PQconninfoOption *options = PQconninfoParse(dsn.toUtf8().constData(), &error);
    if (!options) {
        // libpq quotes the offending part of the string, which may be the password: only name it when none is there.
        const QString detail = error && !dsn.contains(QLatin1String("password"), Qt::CaseInsensitive)
            ? QStringLiteral(": %1").arg(QString::fromUtf8(error).trimmed())
            : QString();
        PQfreemem(error);
        throw ConnectorError(Layer::Supabase, ConnectorError::Kind::Configuration,
                             QStringLiteral("the [supabase] dsn is not a valid libpq connection string%1").arg(detail));
    }
    for (const PQconninfoOption *o = options; o->keyword; ++o) {
        if (o->val && *o->val)
            m_options.append({QString::fromUtf8(o->keyword), QString::fromUtf8(o->val)});
    }
    PQconninfoFree(options);
    const QString own = option(QStringLiteral("password"));
    m_password = own.isEmpty() ? password : own;
}

QString PgConnectionInfo::option(const QString &key) const
{
    for (const auto &pair : m_options) {
        if (pair.first == key)
            return pair.second;
    }
    return {};
}

QString PgConnectionInfo::host() const
{
    QString host = option(QStringLiteral("host"));
    if (host.isEmpty())
        host = option(QStringLiteral("hostaddr"));
    if (host.isEmpty())
        host = qEnvironmentVariable("PGHOST", qEnvironmentVariable("PGHOSTADDR"));
    return host;
}

QString PgConnectionInfo::port() const
{
    const QString port = option(QStringLiteral("port"));
    return port.isEmpty() ? QStringLiteral("5432") : port;
}

QString PgConnectionInfo::database() const
{
    const QString database = option(QStringLiteral("dbname"));
    return database.isEmpty() ? user() : database;
}

QString PgConnectionInfo::user() const
{
    const QString user = option(QStringLiteral("user"));
    return user.isEmpty() ? qEnvironmentVariable("PGUSER", qEnvironmentVariable("USER")) : user;
}

QString PgConnectionInfo::sslMode() const
{
    const QString mode = option(QStringLiteral("sslmode"));
    if (!mode.isEmpty())
        return mode;
    return qEnvironmentVariable("PGSSLMODE", QStringLiteral("prefer"));
}

bool PgConnectionInfo::allowsPlaintext() const
{
    const QString mode = sslMode();
    return mode == QLatin1String("disable") || mode == QLatin1String("allow") || mode == QLatin1String("prefer");
}

QString PgConnectionInfo::describe() const
{
    const QString host = this->host().isEmpty() ? QStringLiteral("local socket") : this->host();
    return QStringLiteral("%1@%2:%3/%4").arg(user(), host, port(), database());
}

bool PgConnectionInfo::isTransactionPooler() const
{
    // A multi-host DSN lists one port per host.
    return port().split(QLatin1Char(',')).contains(QStringLiteral("6543"));
}

bool PgConnectionInfo::isLoopback() const
{
    QString targets = option(QStringLiteral("hostaddr"));
    if (targets.isEmpty())
        targets = option(QStringLiteral("host"));
    if (targets.isEmpty())
        targets = qEnvironmentVariable("PGHOSTADDR", qEnvironmentVariable("PGHOST"));
    // A multi-host dsn lists one entry per host; an empty entry or a path is a Unix socket on this machine.
    const QStringList hosts = targets.split(QLatin1Char(','));
    return std::all_of(hosts.cbegin(), hosts.cend(), [](const QString &host) {
        return host.trimmed().isEmpty() || host.startsWith(QLatin1Char('/')) || host.startsWith(QLatin1Char('@'))
            || PlaintextGuard::isLoopbackHost(host);
    });
}

std::string PgConnectionInfo::conninfo() const
{
    QStringList parts;
    for (const auto &pair : m_options) {
        if (pair.first != QLatin1String("password"))
            parts << pair.first + QLatin1Char('=') + quotedValue(pair.second);
    }
    if (!m_password.isEmpty())
        parts << QStringLiteral("password=") + quotedValue(m_password);
    // Defaults the user did not override: a host that drops packets must not hang a cycle, the values we send
    // and read are UTF-8, and the server's activity view should say who is connected.
    const QList<QPair<QString, QString>> defaults{{QStringLiteral("connect_timeout"), QStringLiteral("10")},
                                                  {QStringLiteral("client_encoding"), QStringLiteral("UTF8")},
                                                  {QStringLiteral("application_name"), QStringLiteral("truthforge-sync")}};
    for (const auto &pair : defaults) {
        if (option(pair.first).isEmpty())
            parts << pair.first + QLatin1Char('=') + quotedValue(pair.second);
    }
    return parts.join(QLatin1Char(' ')).toStdString();
}

QString PgConnectionInfo::redacted(const QString &text) const
{
    if (m_password.isEmpty())
        return text;
    QString clean = text;
    return clean.replace(m_password, QStringLiteral("********"));
}

} // namespace tf
