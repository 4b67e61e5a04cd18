#include "bigquery/sqlitedatabase.h"

#include "bigquery/googleerror.h"
#include "bigquery/sqlitefunctions.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QUuid>

#include <sqlite3.h>

namespace tf::emu {

namespace {

void bindValue(sqlite3_stmt *statement, int index, const QVariant &value)
{
    if (!value.isValid() || value.isNull()) {
        sqlite3_bind_null(statement, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::Bool:
        sqlite3_bind_int64(statement, index, value.toLongLong());
        return;
    case QMetaType::Double:
        sqlite3_bind_double(statement, index, value.toDouble());
        return;
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        sqlite3_bind_blob64(statement, index, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
        return;
    }
    default: {
        const QByteArray text = value.toString().toUtf8();
        sqlite3_bind_text64(statement, index, text.constData(), sqlite3_uint64(text.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    }
}

QVariant columnValue(sqlite3_stmt *statement, int column)
{
    switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
        return qlonglong(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT:
        return sqlite3_column_double(statement, column);
    case SQLITE_TEXT:
        return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, column)), sqlite3_column_bytes(statement, column));
    case SQLITE_BLOB:
        return QByteArray(static_cast<const char *>(sqlite3_column_blob(statement, column)), sqlite3_column_bytes(statement, column));
    default:
        return QVariant();
    }
}

} // namespace

SqliteDatabase::SqliteDatabase(const QString &path)
    : m_connection(QStringLiteral("tf-bigquery-emulator-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_path(path)
{
}

SqliteDatabase::~SqliteDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

bool SqliteDatabase::open(QString *error)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(m_path.isEmpty() ? QStringLiteral(":memory:") : m_path);
    if (!m_db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(m_path.isEmpty() ? QStringLiteral("the in-memory database") : m_path,
                                                          m_db.lastError().text());
        return false;
    }
    const QVariant handle = m_db.driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0 || !*static_cast<sqlite3 *const *>(handle.constData())) {
        *error = QStringLiteral("the QSQLITE driver gave no sqlite3 handle");
        return false;
    }
    m_handle = *static_cast<sqlite3 *const *>(handle.constData());
    SqliteFunctions::install(m_handle);
    // GoogleSQL's LIKE is case-sensitive; SQLite's is not unless asked.
    run(QStringLiteral("PRAGMA case_sensitive_like = ON"));
    if (!m_path.isEmpty())
        run(QStringLiteral("PRAGMA journal_mode = WAL"));
    return true;
}

SqliteDatabase::Result SqliteDatabase::run(const QString &sql, const QVariantList &values)
{
    const QByteArray text = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(m_handle, text.constData(), int(text.size()), &statement, nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(m_handle));
        sqlite3_finalize(statement);
        throw GoogleError::internalError(
            QStringLiteral("tf-bigquery-emulator could not prepare its SQLite statement (%1): %2").arg(message, sql.left(2000)));
    }
    const int parameters = sqlite3_bind_parameter_count(statement);
    for (int i = 1; i <= parameters && i <= values.size(); ++i)
        bindValue(statement, i, values.at(i - 1));
    Result result;
    int step;
    const int columns = sqlite3_column_count(statement);
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        QVariantList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row.append(columnValue(statement, c));
        result.rows.append(row);
    }
    if (step != SQLITE_DONE) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(m_handle));
        sqlite3_finalize(statement);
        const QString prefix = SqliteFunctions::errorPrefix();
        const qsizetype at = message.indexOf(prefix);
        if (at >= 0)
            throw GoogleError::invalidQuery(message.mid(at + prefix.size()));
        if (message.startsWith(QLatin1String("NOT NULL constraint failed: "))) {
            const QString column = message.section(QLatin1Char('.'), -1);
            throw GoogleError::invalidQuery(QStringLiteral("Required column %1 cannot be NULL").arg(column));
        }
        throw GoogleError::internalError(
            QStringLiteral("tf-bigquery-emulator's SQLite statement failed (%1): %2").arg(message, sql.left(2000)));
    }
    result.changes = sqlite3_changes64(m_handle);
    sqlite3_finalize(statement);
    return result;
}

SqliteDatabase::Transaction::Transaction(SqliteDatabase &database)
    : m_database(database)
{
    m_database.run(QStringLiteral("BEGIN"));
}

SqliteDatabase::Transaction::~Transaction()
{
    if (m_done)
        return;
    try {
        m_database.run(QStringLiteral("ROLLBACK"));
    } catch (const GoogleError &) {
        // The failed statement may have ended the transaction already; nothing is left to undo.
    }
}

void SqliteDatabase::Transaction::commit()
{
    m_database.run(QStringLiteral("COMMIT"));
    m_done = true;
}

} // namespace tf::emu
