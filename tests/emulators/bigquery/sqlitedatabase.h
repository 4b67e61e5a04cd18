#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

struct sqlite3;

namespace tf::emu {

// The emulator's SQL engine: one QSQLITE connection (in memory, or the --data file) with the GoogleSQL helper
// functions installed on its handle. Statements run through SQLite's own API on that handle, binding values[i] to
// the numbered placeholder ?(i+1) (SqlBindings) wherever it occurs in the text, and reading every value back in its
// exact storage class.
class SqliteDatabase
{
public:
    explicit SqliteDatabase(const QString &path); // empty: in memory
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    bool open(QString *error);

    struct Result {
        QList<QVariantList> rows;
        qint64 changes = 0; // rows an INSERT, UPDATE or DELETE changed
    };
    // Runs one statement. A failure of a GoogleSQL function throws GoogleError invalidQuery with its message; any
    // other SQLite failure is the emulator's own bug and throws internalError naming the statement.
    Result run(const QString &sql, const QVariantList &values = {});

    // All-or-nothing: the destructor rolls back what was not committed.
    class Transaction
    {
    public:
        explicit Transaction(SqliteDatabase &database);
        ~Transaction();
        void commit();

    private:
        SqliteDatabase &m_database;
        bool m_done = false;
    };

private:
    QString m_connection;
    QString m_path;
    QSqlDatabase m_db;
    sqlite3 *m_handle = nullptr;
};

} // namespace tf::emu
