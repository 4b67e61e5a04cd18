#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <string>

namespace tf {

// A libpq connection string as the user gave it (key=value or a postgresql:// URI: Supabase's dashboard hands out
// both, §1.1), parsed by libpq itself, plus the password when the DSN carries none (secrets never live in the
// config, DESIGN.md). Everything the user set is passed on untouched, sslmode and sslrootcert included (§1.2).
class PgConnectionInfo
{
public:
    // Throws ConnectorError (Configuration) for a DSN libpq cannot parse.
    PgConnectionInfo(const QString &dsn, const QString &password);

    QString host() const;     // as libpq takes it: the dsn's, else PGHOST; "" = the local Unix socket
    QString port() const;     // as given, "5432" when absent
    QString database() const;
    QString user() const;
    QString sslMode() const; // the dsn's, else PGSSLMODE, else libpq's default "prefer"
    bool hasPassword() const { return !m_password.isEmpty(); }

    // user@host:port/database: what every message names. Never the password.
    QString describe() const;
    // Port 6543 is Supavisor's transaction mode: no session state survives a transaction (§1.3).
    bool isTransactionPooler() const;
    // Every host the connection may go to is this machine (a Unix socket, loopback addresses, "localhost"); a
    // hostaddr decides over host, as libpq connects to it.
    bool isLoopback() const;
    // Whether libpq may talk without TLS under this sslmode (disable, allow, prefer).
    bool allowsPlaintext() const;
    // The string handed to libpq.
    std::string conninfo() const;
    // `text` with the password blotted out, in case a library ever echoes it.
    QString redacted(const QString &text) const;

private:
    QString option(const QString &key) const;

    QList<QPair<QString, QString>> m_options; // keyword → value, only those set
    QString m_password;
};

} // namespace tf
