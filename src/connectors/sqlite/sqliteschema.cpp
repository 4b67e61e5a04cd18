#include "connectors/sqlite/sqliteschema.h"

#include "core/fieldregistry.h"

#include <QSqlError>
#include <QSqlQuery>

namespace tf {

namespace {

const QString kOrigin = QStringLiteral(
    "CASE WHEN (SELECT applying FROM sync_control WHERE id = 1) = 1 THEN 'sync' ELSE 'external' END");

void run(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        throw ConnectorError(Layer::Local, ConnectorError::Kind::Schema,
                             QStringLiteral("%1: cannot provision: %2").arg(db.databaseName(), query.lastError().text()));
    }
}

QMap<QString, QString> existingColumns(QSqlDatabase &db)
{
    QMap<QString, QString> columns;
    QSqlQuery query(db);
    query.exec(QStringLiteral("PRAGMA table_info(%1)").arg(QLatin1String(SqliteSchema::kTable)));
    while (query.next())
        columns.insert(query.value(1).toString(), query.value(2).toString().toUpper());
    return columns;
}

} // namespace

QString SqliteSchema::declaredType(const FieldSpec &spec)
{
    return spec.sqliteType.section(QLatin1Char(' '), 0, 0);
}

QString SqliteSchema::nowExpression()
{
    return QStringLiteral("strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')");
}

void SqliteSchema::provision(QSqlDatabase &db)
{
    QStringList columns;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        // A person in the sqlite3 shell must not be able to add a contact without an id.
        const QString constraint = spec.name == field::ContactId ? QStringLiteral(" PRIMARY KEY NOT NULL") : QString();
        columns << QStringLiteral("\"%1\" %2%3").arg(spec.name, declaredType(spec), constraint);
    }
    run(db, QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)").arg(QLatin1String(kTable), columns.join(QStringLiteral(", "))));
    const QMap<QString, QString> present = existingColumns(db);
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!present.contains(spec.name))
            run(db, QStringLiteral("ALTER TABLE %1 ADD COLUMN \"%2\" %3").arg(QLatin1String(kTable), spec.name, declaredType(spec)));
    }
    run(db, QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (seq INTEGER PRIMARY KEY AUTOINCREMENT, contact_id TEXT, "
                           "op TEXT NOT NULL, origin TEXT NOT NULL, changed_at TEXT NOT NULL, old_row TEXT)")
                .arg(QLatin1String(kChangeLog)));
    run(db, QStringLiteral("CREATE INDEX IF NOT EXISTS contacts_changelog_contact ON %1(contact_id)").arg(QLatin1String(kChangeLog)));
    run(db, QStringLiteral("CREATE INDEX IF NOT EXISTS contacts_updated ON %1(updated_at)").arg(QLatin1String(kTable)));
    run(db, QStringLiteral("CREATE TABLE IF NOT EXISTS sync_control (id INTEGER PRIMARY KEY CHECK (id = 1), "
                           "applying INTEGER NOT NULL DEFAULT 0)"));
    run(db, QStringLiteral("INSERT OR IGNORE INTO sync_control (id, applying) VALUES (1, 0)"));

    // updated_at is the layer's own modification time: set on insert when missing, and bumped by an update that
    // did not set it itself (a person editing in the shell). Recursive triggers are off, so the inner UPDATE
    // fires no trigger and logs nothing twice.
    run(db, QStringLiteral("CREATE TRIGGER IF NOT EXISTS contacts_stamp_insert AFTER INSERT ON contacts "
                           "WHEN NEW.updated_at IS NULL BEGIN UPDATE contacts SET updated_at = %1 WHERE rowid = NEW.rowid; END")
                .arg(nowExpression()));
    run(db, QStringLiteral("CREATE TRIGGER IF NOT EXISTS contacts_stamp_update AFTER UPDATE ON contacts "
                           "WHEN NEW.updated_at IS OLD.updated_at BEGIN UPDATE contacts SET updated_at = %1 WHERE rowid = NEW.rowid; END")
                .arg(nowExpression()));
    for (const auto &[event, op, row] : {std::tuple{QStringLiteral("INSERT"), QStringLiteral("I"), QStringLiteral("NEW")},
                                         std::tuple{QStringLiteral("UPDATE"), QStringLiteral("U"), QStringLiteral("NEW")}}) {
        run(db, QStringLiteral("CREATE TRIGGER IF NOT EXISTS contacts_log_%1 AFTER %2 ON contacts BEGIN "
                               "INSERT INTO %3 (contact_id, op, origin, changed_at) VALUES (%4.contact_id, '%5', %6, %7); END")
                    .arg(event.toLower(), event, QLatin1String(kChangeLog), row, op, kOrigin, nowExpression()));
    }
    // A physical delete keeps the whole old row in the log: it becomes a tombstone, nothing is lost.
    QStringList pairs;
    for (const FieldSpec &spec : FieldRegistry::fields())
        pairs << QStringLiteral("'%1', OLD.\"%1\"").arg(spec.name);
    run(db, QStringLiteral("CREATE TRIGGER IF NOT EXISTS contacts_log_delete AFTER DELETE ON contacts BEGIN "
                           "INSERT INTO %1 (contact_id, op, origin, changed_at, old_row) VALUES (OLD.contact_id, 'D', %2, %3, "
                           "json_object(%4)); END")
                .arg(QLatin1String(kChangeLog), kOrigin, nowExpression(), pairs.join(QStringLiteral(", "))));
}

QStringList SqliteSchema::schemaProblems(QSqlDatabase &db)
{
    QStringList problems;
    const QMap<QString, QString> present = existingColumns(db);
    if (present.isEmpty())
        return {QStringLiteral("local: %1 has no table contacts (run tfsync provision)").arg(db.databaseName())};
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!present.contains(spec.name))
            problems << QStringLiteral("local: table contacts lacks column %1").arg(spec.name);
        else if (present.value(spec.name) != declaredType(spec))
            problems << QStringLiteral("local: column %1 is %2, the contract says %3")
                            .arg(spec.name, present.value(spec.name), declaredType(spec));
    }
    return problems;
}

bool SqliteSchema::changeCaptureInstalled(QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contacts' "
                              "AND name LIKE 'contacts_log_%'"));
    return query.next() && query.value(0).toInt() == 3;
}

} // namespace tf
