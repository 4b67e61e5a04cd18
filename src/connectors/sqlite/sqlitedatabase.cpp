#include "connectors/sqlite/sqlitedatabase.h"

#include "core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QUuid>
#include <sqlite3.h> // result codes only: the connection itself goes through QtSql

namespace tf {

namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr int kInListChunk = 500; // far below SQLite's bound-variable limit (32766 since 3.32, 999 before)

} // namespace

SqliteDatabase::SqliteDatabase(const QString &path)
    : m_path(path)
    , m_connectionName(QStringLiteral("tf-local-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

SqliteDatabase::~SqliteDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

ConnectorError SqliteDatabase::error(ConnectorError::Kind kind, const QString &what) const
{
    return ConnectorError(Layer::Local, kind, QStringLiteral("%1: %2").arg(m_path, what));
}

QString SqliteDatabase::accessProblem() const
{
    const QFileInfo file(m_path);
    const QFileInfo directory(file.absolutePath());
    if (file.isDir())
        return QStringLiteral("the path is a directory, not a database file");
    if (!directory.isDir())
        return QStringLiteral("the directory %1 does not exist").arg(directory.filePath());
    if (!directory.isWritable())
        return QStringLiteral("the directory %1 is read-only (SQLite keeps the -wal and -shm files beside the database)")
            .arg(directory.filePath());
    if (file.exists() && !file.isReadable())
        return QStringLiteral("the file is not readable");
    if (file.exists() && !file.isWritable())
        return QStringLiteral("the file is read-only");
    return {};
}

ConnectorError SqliteDatabase::failure(const QSqlError &sqlError) const
{
    using Kind = ConnectorError::Kind;
    const QString cause = sqlError.databaseText().isEmpty() ? sqlError.text() : sqlError.databaseText();
    const int code = sqlError.nativeErrorCode().toInt() & 0xff; // primary code, also when extended codes are on
    const auto explained = [&](Kind kind, const QString &explanation) {
        return error(kind, explanation.isEmpty() ? cause : QStringLiteral("%1 (%2)").arg(explanation, cause));
    };
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return explained(Kind::Transient, QStringLiteral("another program held the file locked for more than %1 s")
                                              .arg(kBusyTimeoutMs / 1000));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return explained(Kind::Configuration, QStringLiteral("the file is not a SQLite database or is corrupt; "
                                                             "restore it from a backup or point [local] path elsewhere"));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        return explained(Kind::Configuration, accessProblem());
    case SQLITE_FULL:
    case SQLITE_IOERR:
        return explained(Kind::Unreachable, QStringLiteral("the disk failed or is full"));
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
        return explained(Kind::Rejected, QString());
    default:
        break;
    }
    static const QStringList schemaCauses{QStringLiteral("no such table"), QStringLiteral("no such column"),
                                          QStringLiteral("has no column named")};
    for (const QString &schemaCause : schemaCauses) {
        if (cause.contains(schemaCause))
            return explained(Kind::Schema, QStringLiteral("the schema is not the contract's; run tfsync provision"));
    }
    return explained(Kind::Internal, QString());
}

QSqlDatabase SqliteDatabase::open()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            return db;
    }
    const QString directory = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(directory))
        throw error(ConnectorError::Kind::Configuration, QStringLiteral("cannot create the directory %1").arg(directory));
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
        ? QSqlDatabase::database(m_connectionName, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!db.open())
        throw failure(db.lastError());
    // SQLite opens lazily: a file that is not a database, or one it may not touch, fails on the first statement.
    QSqlQuery pragma(db);
    QString mode;
    bool ok = pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    if (ok && pragma.next())
        mode = pragma.value(0).toString();
    ok = ok && pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (!ok) {
        const ConnectorError refused = failure(pragma.lastError());
        pragma.finish();
        db.close();
        throw refused;
    }
    if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcLocal).noquote() << m_path << "stays in journal mode" << mode
                                     << "instead of WAL: other programs wait while the sync writes";
    return db;
}

QSqlQuery SqliteDatabase::prepare(const QString &sql)
{
    QSqlQuery query(open());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        throw failure(query.lastError());
    return query;
}

QSqlQuery SqliteDatabase::exec(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery query = prepare(sql);
    for (qsizetype i = 0; i < bindings.size(); ++i)
        query.bindValue(int(i), bindings.at(i));
    if (!query.exec())
        throw failure(query.lastError());
    return query;
}

void SqliteDatabase::selectIn(const QString &sql, const QStringList &values, const std::function<void(const QSqlQuery &)> &row)
{
    for (qsizetype start = 0; start < values.size(); start += kInListChunk) {
        const QStringList chunk = values.mid(start, kInListChunk);
        QSqlQuery query = exec(sql.arg(QStringList(chunk.size(), QStringLiteral("?")).join(QLatin1Char(','))),
                               QVariantList(chunk.cbegin(), chunk.cend()));
        while (query.next())
            row(query);
    }
}

void SqliteDatabase::beginWrite()
{
    exec(QStringLiteral("BEGIN IMMEDIATE"));
}

void SqliteDatabase::commit()
{
    exec(QStringLiteral("COMMIT"));
}

void SqliteDatabase::rollback() noexcept
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcLocal).noquote() << m_path << "rollback failed:" << query.lastError().text();
}

} // namespace tf
