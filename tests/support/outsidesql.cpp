#include "support/outsidesql.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace tf::test {

OutsideSql::OutsideSql(Layer layer, const SyncConfig &config, const QString &postgresPassword)
    : m_name(QStringLiteral("tf-outside-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    QSqlDatabase db;
    if (layer == Layer::Local) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(config.local->path);
        m_table = QStringLiteral("contacts");
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        // The DSN is libpq's key=value form; QPSQL takes the same keys as connect options.
        for (const QString &pair : config.supabase->dsn.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString key = pair.section(QLatin1Char('='), 0, 0);
            const QString value = pair.section(QLatin1Char('='), 1);
            if (key == QLatin1String("host"))
                db.setHostName(value);
            else if (key == QLatin1String("port"))
                db.setPort(value.toInt());
            else if (key == QLatin1String("dbname"))
                db.setDatabaseName(value);
            else if (key == QLatin1String("user"))
                db.setUserName(value);
        }
        db.setPassword(postgresPassword);
        m_table = QStringLiteral("\"%1\".\"%2\"").arg(config.supabase->schema, config.supabase->table);
    }
    if (!db.open())
        m_openError = db.lastError().text();
}

OutsideSql::~OutsideSql()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QString OutsideSql::exec(const QString &statement, const QVariantList &bindings, int *rowsAffected)
{
    if (!m_openError.isEmpty())
        return m_openError;
    QSqlQuery query(QSqlDatabase::database(m_name, false));
    query.prepare(statement);
    for (const QVariant &binding : bindings)
        query.addBindValue(binding);
    if (!query.exec())
        return query.lastError().text();
    if (rowsAffected)
        *rowsAffected = query.numRowsAffected();
    return {};
}

QString OutsideSql::select(const QString &statement, const std::function<void(const QSqlQuery &)> &row)
{
    if (!m_openError.isEmpty())
        return m_openError;
    QSqlQuery query(QSqlDatabase::database(m_name, false));
    query.setForwardOnly(true);
    if (!query.exec(statement))
        return query.lastError().text();
    while (query.next())
        row(query);
    return {};
}

} // namespace tf::test
