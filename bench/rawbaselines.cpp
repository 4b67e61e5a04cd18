#include "rawbaselines.h"

#include "core/contactnormalizer.h"

#include <QElapsedTimer>
#include <libpq-fe.h>
#include <sqlite3.h>

namespace tf::bench {

namespace {

QList<QByteArray> cells(const Contact &contact)
{
    QList<QByteArray> values;
    for (const FieldSpec &spec : FieldRegistry::fields())
        values.append(ContactNormalizer::canonicalText(spec, contact.value(spec.index)).toUtf8());
    return values;
}

QString columnList(const QString &type)
{
    QStringList columns;
    for (const FieldSpec &spec : FieldRegistry::fields())
        columns << QStringLiteral("\"%1\" %2").arg(spec.name, type);
    return columns.join(QStringLiteral(", "));
}

// COPY text format: backslash, tab, newline and carriage return escaped; NULL is \N.
QByteArray copyEscape(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace

double sqliteInsertLoopSeconds(const QString &file, const QList<Contact> &contacts, QString *error)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(file.toUtf8().constData(), &db) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return 0;
    }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr);
    const QByteArray create = QStringLiteral("CREATE TABLE raw (%1)").arg(columnList(QStringLiteral("TEXT"))).toUtf8();
    sqlite3_exec(db, create.constData(), nullptr, nullptr, nullptr);
    QStringList marks;
    for (int i = 0; i < FieldRegistry::count(); ++i)
        marks << QStringLiteral("?");
    const QByteArray insert = QStringLiteral("INSERT INTO raw VALUES (%1)").arg(marks.join(QLatin1Char(','))).toUtf8();
    QList<QList<QByteArray>> rows;
    for (const Contact &contact : contacts)
        rows.append(cells(contact));

    QElapsedTimer timer;
    timer.start();
    sqlite3_stmt *statement = nullptr;
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(db, insert.constData(), -1, &statement, nullptr);
    for (const QList<QByteArray> &row : std::as_const(rows)) {
        for (int i = 0; i < row.size(); ++i)
            sqlite3_bind_text(statement, i + 1, row.at(i).constData(), int(row.at(i).size()), SQLITE_STATIC);
        sqlite3_step(statement);
        sqlite3_reset(statement);
    }
    sqlite3_finalize(statement);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return double(timer.nsecsElapsed()) / 1e9;
}

double postgresCopySeconds(const QString &conninfo, const QList<Contact> &contacts, QString *error)
{
    PGconn *conn = PQconnectdb(conninfo.toUtf8().constData());
    if (PQstatus(conn) != CONNECTION_OK) {
        *error = QString::fromUtf8(PQerrorMessage(conn));
        PQfinish(conn);
        return 0;
    }
    const QByteArray create = QStringLiteral("DROP TABLE IF EXISTS raw_copy; CREATE TABLE raw_copy (%1)")
                                  .arg(columnList(QStringLiteral("text")))
                                  .toUtf8();
    PQsetNoticeProcessor(conn, [](void *, const char *) {}, nullptr); // "table does not exist, skipping"
    PQclear(PQexec(conn, create.constData()));
    QByteArray buffer;
    for (const Contact &contact : contacts) {
        const QList<QByteArray> row = cells(contact);
        for (int i = 0; i < row.size(); ++i) {
            if (i)
                buffer += '\t';
            buffer += row.at(i).isEmpty() ? QByteArray("\\N") : copyEscape(row.at(i));
        }
        buffer += '\n';
    }

    QElapsedTimer timer;
    timer.start();
    PQclear(PQexec(conn, "COPY raw_copy FROM STDIN"));
    constexpr qsizetype kChunk = 1 << 20;
    for (qsizetype offset = 0; offset < buffer.size(); offset += kChunk)
        PQputCopyData(conn, buffer.constData() + offset, int(std::min(kChunk, buffer.size() - offset)));
    PQputCopyEnd(conn, nullptr);
    PGresult *result = PQgetResult(conn);
    if (PQresultStatus(result) != PGRES_COMMAND_OK)
        *error = QString::fromUtf8(PQresultErrorMessage(result));
    PQclear(result);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    PQfinish(conn);
    return seconds;
}

} // namespace tf::bench
