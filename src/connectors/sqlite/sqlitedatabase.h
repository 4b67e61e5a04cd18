#pragma once

#include "core/connector.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <functional>

class QSqlError;

namespace tf {

// One QSQLITE connection to the local layer's file, under a connection name of its own, opened on first use by
// the thread that uses it (a QtSql connection belongs to one thread). WAL lets other programs read while the sync
// writes; the busy timeout lets a person's sqlite3 shell finish a write instead of failing the cycle at once.
// Every failure comes out as a ConnectorError naming the file and a cause a person can act on: a corrupt file, a
// read-only directory, a locked file and a missing table read differently.
class SqliteDatabase
{
public:
    explicit SqliteDatabase(const QString &path);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    QString path() const { return m_path; }

    QSqlQuery exec(const QString &sql, const QVariantList &bindings = {});
    QSqlQuery prepare(const QString &sql);
    // Runs `sql`, whose %1 stands for an IN list, once per chunk of `values` small enough for SQLite's limit on
    // bound variables, and hands every result row to `row`.
    void selectIn(const QString &sql, const QStringList &values, const std::function<void(const QSqlQuery &)> &row);

    // BEGIN IMMEDIATE takes the write lock up front: rows read inside the transaction cannot change before it
    // writes them, and no outside write can interleave with the sync's own (sync_control, SqliteSchema).
    void beginWrite();
    void commit();
    void rollback() noexcept;

    ConnectorError error(ConnectorError::Kind kind, const QString &what) const;
    // Classifies a driver error by SQLite's result code.
    ConnectorError failure(const QSqlError &error) const;
    // What in the file's surroundings keeps SQLite from opening or writing it; empty when nothing visible does.
    QString accessProblem() const;

private:
    QSqlDatabase open();

    QString m_path;
    QString m_connectionName;
};

} // namespace tf
