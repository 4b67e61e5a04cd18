#pragma once

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace tf {

// A real, throwaway PostgreSQL 15 on loopback in a temporary directory: initdb + pg_ctl from Debian's
// postgresql-15, run as the `postgres` user when we are root (initdb refuses root). Stopped and removed on
// destruction. Host connections need the password (scram), so wrong-password tests are real.
class ThrowawayPostgres
{
public:
    ThrowawayPostgres();
    ~ThrowawayPostgres();
    ThrowawayPostgres(const ThrowawayPostgres &) = delete;
    ThrowawayPostgres &operator=(const ThrowawayPostgres &) = delete;

    // Empty on success, else why the server could not start (the test then fails with that text).
    QString start();
    // Stops the server and keeps its data: startServer() brings it back on the same port (an outage and the
    // recovery from it). The data goes with this object.
    void stop();
    QString startServer();

    QString dsn(const QString &database = QStringLiteral("postgres")) const;
    QString password() const { return m_password; }
    int port() const { return m_port; }
    QString socketDirectory() const; // where the Unix socket is: local connections there are trusted
    // Runs SQL through psql as an outside program would (a person at the psql prompt); returns stdout.
    QString psql(const QString &sql, QString *error = nullptr) const;

    static QString binDir();

private:
    QString runAsOwner(const QString &program, const QStringList &arguments, int timeoutMs, bool *ok) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_password = QStringLiteral("s3cret-'pw");
    int m_port = 0;
    bool m_running = false;
    bool m_asPostgresUser = false;
};

} // namespace tf
