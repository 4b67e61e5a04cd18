#include "connectors/demo/throwawaypostgres.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <unistd.h>

namespace tf {

namespace {

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

ThrowawayPostgres::ThrowawayPostgres() = default;

ThrowawayPostgres::~ThrowawayPostgres()
{
    stop();
}

QString ThrowawayPostgres::binDir()
{
    const QString override = qEnvironmentVariable("TF_PG_BINDIR");
    return override.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : override;
}

QString ThrowawayPostgres::runAsOwner(const QString &program, const QStringList &arguments, int timeoutMs, bool *ok) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (m_asPostgresUser) {
        process.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                                             QStringLiteral("--"), program} + arguments);
    } else {
        process.start(program, arguments);
    }
    const bool finished = process.waitForFinished(timeoutMs);
    *ok = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    return QString::fromUtf8(process.readAll());
}

QString ThrowawayPostgres::start()
{
    if (!QFile::exists(binDir() + QStringLiteral("/initdb")))
        return QStringLiteral("PostgreSQL 15 is not installed (no %1/initdb); run ./dev test").arg(binDir());
    m_asPostgresUser = ::geteuid() == 0;
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/tf-pg-XXXXXX"));
    if (!m_dir->isValid())
        return QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString());
    const QString root = m_dir->path();
    QDir(root).mkpath(QStringLiteral("sock"));
    QFile pwfile(root + QStringLiteral("/pwfile"));
    if (!pwfile.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1").arg(pwfile.fileName());
    pwfile.write(m_password.toUtf8() + '\n');
    pwfile.close();
    if (m_asPostgresUser) {
        QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:postgres"), root});
    }

    bool ok = false;
    QString output = runAsOwner(binDir() + QStringLiteral("/initdb"),
                                {QStringLiteral("-D"), root + QStringLiteral("/data"), QStringLiteral("-U"),
                                 QStringLiteral("postgres"), QStringLiteral("--auth-local=trust"),
                                 QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("--pwfile=") + pwfile.fileName(),
                                 QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8")},
                                120000, &ok);
    if (!ok)
        return QStringLiteral("initdb failed: %1").arg(output);

    m_port = freePort();
    QFile conf(root + QStringLiteral("/data/postgresql.conf"));
    if (!conf.open(QIODevice::Append))
        return QStringLiteral("cannot append to %1").arg(conf.fileName());
    conf.write(QStringLiteral("listen_addresses = '127.0.0.1'\nport = %1\nunix_socket_directories = '%2/sock'\n"
                              "fsync = off\nmax_connections = 40\n")
                   .arg(m_port)
                   .arg(root)
                   .toUtf8());
    conf.close();
    return startServer();
}

QString ThrowawayPostgres::startServer()
{
    if (m_running)
        return {};
    const QString root = m_dir->path();
    bool ok = false;
    const QString output = runAsOwner(binDir() + QStringLiteral("/pg_ctl"),
                                      {QStringLiteral("-D"), root + QStringLiteral("/data"), QStringLiteral("-l"),
                                       root + QStringLiteral("/server.log"), QStringLiteral("-w"), QStringLiteral("-t"),
                                       QStringLiteral("60"), QStringLiteral("start")},
                                      90000, &ok);
    if (!ok) {
        QFile log(root + QStringLiteral("/server.log"));
        log.open(QIODevice::ReadOnly);
        return QStringLiteral("pg_ctl start failed: %1\n%2").arg(output, QString::fromUtf8(log.readAll()));
    }
    m_running = true;
    return {};
}

void ThrowawayPostgres::stop()
{
    if (!m_running)
        return;
    bool ok = false;
    runAsOwner(binDir() + QStringLiteral("/pg_ctl"),
               {QStringLiteral("-D"), m_dir->path() + QStringLiteral("/data"), QStringLiteral("-m"),
                QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
               60000, &ok);
    m_running = false;
}

QString ThrowawayPostgres::socketDirectory() const
{
    return m_dir->path() + QStringLiteral("/sock");
}

QString ThrowawayPostgres::dsn(const QString &database) const
{
    // libpq conninfo quoting: single quotes and backslashes escaped inside a quoted value.
    QString quoted = m_password;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=postgres password='%3' sslmode=disable")
        .arg(m_port)
        .arg(database, quoted);
}

QString ThrowawayPostgres::psql(const QString &sql, QString *error) const
{
    QProcess process;
    QStringList args{QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
                     QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), dsn(),
                     QStringLiteral("-c"), sql};
    process.start(QStringLiteral("psql"), args);
    process.waitForFinished(60000);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    if (error)
        *error = process.exitCode() == 0 ? QString() : err;
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

} // namespace tf
