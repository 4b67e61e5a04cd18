#include "connectors/sqlite/sqliteschema.h"

#include "connectors/sqlite/sqlitedatabase.h"

namespace tf {

namespace {

const QString kOrigin = QStringLiteral(
    "CASE WHEN (SELECT applying FROM sync_control WHERE id = 1) = 1 THEN 'sync' ELSE 'external' END");

QString logEntry(const QString &op, const QString &row, const QString &oldRow)
{
    return QStringLiteral("INSERT INTO contacts_changelog (contact_id, op, origin, changed_at, old_row) "
                          "VALUES (%1.contact_id, '%2', %3, %4, %5);")
        .arg(row, op, kOrigin, SqliteSchema::nowExpression(), oldRow);
}

// The whole old row as JSON, so a physical delete comes back as a tombstone with every value. json_object refuses
// BLOBs, which a person can put in any column; they go in as text so that the delete itself never fails.
QString oldRowJson()
{
    QStringList pairs;
    for (const FieldSpec &spec : FieldRegistry::fields())
        pairs << QStringLiteral("'%1', CASE typeof(OLD.\"%1\") WHEN 'blob' THEN CAST(OLD.\"%1\" AS TEXT) ELSE OLD.\"%1\" END")
                     .arg(spec.name);
    return QStringLiteral("json_object(%1)").arg(pairs.join(QStringLiteral(", ")));
}

// `IS NOT now` ends the bump even where recursive triggers are on: a second pass finds the stamp already set.
QString stampUpdatedAt()
{
    return QStringLiteral("UPDATE sync_control SET stamping = 1 WHERE id = 1; "
                          "UPDATE contacts SET updated_at = %1 WHERE rowid = NEW.rowid AND updated_at IS NOT %1; "
                          "UPDATE sync_control SET stamping = 0 WHERE id = 1;")
        .arg(SqliteSchema::nowExpression());
}

QMap<QString, QString> installedTriggers(SqliteDatabase &db)
{
    QMap<QString, QString> installed;
    QSqlQuery query = db.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contacts'"));
    while (query.next())
        installed.insert(query.value(0).toString(), query.value(1).toString());
    return installed;
}

} // namespace

QString SqliteSchema::declaredType(const FieldSpec &spec)
{
    return spec.sqliteType.section(QLatin1Char(' '), 0, 0);
}

QString SqliteSchema::columnList()
{
    QStringList columns;
    for (const FieldSpec &spec : FieldRegistry::fields())
        columns << QStringLiteral("\"%1\"").arg(spec.name);
    return columns.join(QStringLiteral(", "));
}

QString SqliteSchema::selectList()
{
    QStringList columns;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        columns << (spec.kind == FieldKind::Float ? QStringLiteral("\"%1\"")
                                                  : QStringLiteral("CAST(\"%1\" AS BLOB) AS \"%1\""))
                       .arg(spec.name);
    }
    return columns.join(QStringLiteral(", "));
}

QString SqliteSchema::nowExpression()
{
    return QStringLiteral("strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')");
}

QMap<QString, QString> SqliteSchema::triggers()
{
    QMap<QString, QString> triggers;
    const auto add = [&triggers](const QString &name, const QString &event, const QString &when, const QString &body) {
        triggers.insert(name, QStringLiteral("CREATE TRIGGER %1 AFTER %2 ON contacts%3 BEGIN %4 END")
                                  .arg(name, event, when.isEmpty() ? QString() : QStringLiteral(" WHEN ") + when, body));
    };
    add(QStringLiteral("contacts_log_insert"), QStringLiteral("INSERT"), QString(),
        logEntry(QStringLiteral("I"), QStringLiteral("NEW"), QStringLiteral("NULL")));
    add(QStringLiteral("contacts_log_update"), QStringLiteral("UPDATE"),
        QStringLiteral("(SELECT stamping FROM sync_control WHERE id = 1) = 0"),
        logEntry(QStringLiteral("U"), QStringLiteral("NEW"), QStringLiteral("NULL")));
    add(QStringLiteral("contacts_log_delete"), QStringLiteral("DELETE"), QString(),
        logEntry(QStringLiteral("D"), QStringLiteral("OLD"), oldRowJson()));
    // A contact_id changed in the shell removes the old contact as surely as a DELETE does.
    add(QStringLiteral("contacts_log_rekey"), QStringLiteral("UPDATE OF contact_id"),
        QStringLiteral("OLD.contact_id IS NOT NEW.contact_id"), logEntry(QStringLiteral("D"), QStringLiteral("OLD"), oldRowJson()));
    // updated_at is the layer's own modification time (contract): set on an insert without one, bumped by an
    // update that did not set it itself, i.e. a person editing other columns.
    add(QStringLiteral("contacts_stamp_insert"), QStringLiteral("INSERT"), QStringLiteral("NEW.updated_at IS NULL"), stampUpdatedAt());
    add(QStringLiteral("contacts_stamp_update"), QStringLiteral("UPDATE"), QStringLiteral("NEW.updated_at IS OLD.updated_at"),
        stampUpdatedAt());
    return triggers;
}

QMap<QString, QString> SqliteSchema::columns(SqliteDatabase &db, const QString &table)
{
    QMap<QString, QString> columns;
    QSqlQuery query = db.exec(QStringLiteral("SELECT name, upper(type) FROM pragma_table_info(?)"), {table});
    while (query.next())
        columns.insert(query.value(0).toString(), query.value(1).toString());
    return columns;
}

// ON CONFLICT(contact_id) needs a PRIMARY KEY or a UNIQUE index on exactly that column; a table made by hand
// may have neither.
bool SqliteSchema::contactIdIsUnique(SqliteDatabase &db)
{
    QSqlQuery indexes = db.exec(QStringLiteral("SELECT name FROM pragma_index_list('contacts') WHERE \"unique\" = 1"));
    while (indexes.next()) {
        QSqlQuery columns = db.exec(QStringLiteral("SELECT group_concat(name) FROM pragma_index_info(?)"), {indexes.value(0)});
        if (columns.next() && columns.value(0).toString() == field::ContactId)
            return true;
    }
    return false;
}

void SqliteSchema::provision(SqliteDatabase &db)
{
    QStringList definitions;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        // NOT NULL: a person in the sqlite3 shell must not be able to add a contact without an id.
        const QString key = spec.name == field::ContactId ? QStringLiteral(" PRIMARY KEY NOT NULL") : QString();
        definitions << QStringLiteral("\"%1\" %2%3").arg(spec.name, declaredType(spec), key);
    }
    db.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS contacts (%1)").arg(definitions.join(QStringLiteral(", "))));
    const QMap<QString, QString> present = columns(db, QStringLiteral("contacts"));
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!present.contains(spec.name))
            db.exec(QStringLiteral("ALTER TABLE contacts ADD COLUMN \"%1\" %2").arg(spec.name, declaredType(spec)));
    }
    if (!contactIdIsUnique(db))
        db.exec(QStringLiteral("CREATE UNIQUE INDEX contacts_contact_id ON contacts (contact_id)"));

    db.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS contacts_changelog (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "contact_id TEXT, op TEXT NOT NULL, origin TEXT NOT NULL, changed_at TEXT NOT NULL, old_row TEXT)"));
    // By contact id: the tombstones of deleted rows, and whether a contact changed again later in the log (an
    // index entry carries the rowid, here seq, so this is an index on (contact_id, seq); SqliteChangeLog).
    db.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS contacts_changelog_contact ON contacts_changelog (contact_id)"));
    db.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS sync_control (id INTEGER PRIMARY KEY CHECK (id = 1), "
                           "applying INTEGER NOT NULL DEFAULT 0, stamping INTEGER NOT NULL DEFAULT 0)"));
    if (!columns(db, QStringLiteral("sync_control")).contains(QStringLiteral("stamping")))
        db.exec(QStringLiteral("ALTER TABLE sync_control ADD COLUMN stamping INTEGER NOT NULL DEFAULT 0"));
    db.exec(QStringLiteral("INSERT OR IGNORE INTO sync_control (id, applying, stamping) VALUES (1, 0, 0)"));

    const QMap<QString, QString> installed = installedTriggers(db);
    const QMap<QString, QString> wanted = triggers();
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (installed.value(it.key()) == it.value())
            continue;
        db.exec(QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(it.key()));
        db.exec(it.value());
    }
}

QStringList SqliteSchema::schemaProblems(SqliteDatabase &db)
{
    const QMap<QString, QString> present = columns(db, QStringLiteral("contacts"));
    if (present.isEmpty())
        return {QStringLiteral("local: %1 has no table contacts (run tfsync provision)").arg(db.path())};
    QStringList problems;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!present.contains(spec.name))
            problems << QStringLiteral("local: table contacts lacks column %1").arg(spec.name);
        else if (present.value(spec.name) != declaredType(spec))
            problems << QStringLiteral("local: column contacts.%1 is declared %2, the contract says %3")
                            .arg(spec.name, present.value(spec.name).isEmpty() ? QStringLiteral("without a type") : present.value(spec.name),
                                 declaredType(spec));
    }
    if (present.contains(field::ContactId) && !contactIdIsUnique(db))
        problems << QStringLiteral("local: contacts.contact_id has neither a PRIMARY KEY nor a UNIQUE index");
    return problems;
}

QStringList SqliteSchema::changeCaptureProblems(SqliteDatabase &db)
{
    QStringList problems;
    if (columns(db, QStringLiteral("contacts_changelog")).isEmpty())
        problems << QStringLiteral("local: table contacts_changelog is missing");
    const QMap<QString, QString> control = columns(db, QStringLiteral("sync_control"));
    if (!control.contains(QStringLiteral("applying")) || !control.contains(QStringLiteral("stamping"))) {
        problems << QStringLiteral("local: table sync_control is missing or lacks its flags");
    } else {
        QSqlQuery row = db.exec(QStringLiteral("SELECT count(*) FROM sync_control WHERE id = 1"));
        if (!row.next() || row.value(0).toInt() != 1)
            problems << QStringLiteral("local: table sync_control has no row");
    }
    const QMap<QString, QString> installed = installedTriggers(db);
    const QMap<QString, QString> wanted = triggers();
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (!installed.contains(it.key()))
            problems << QStringLiteral("local: change-capture trigger %1 is missing").arg(it.key());
        else if (installed.value(it.key()) != it.value())
            problems << QStringLiteral("local: change-capture trigger %1 differs from the one provision installs").arg(it.key());
    }
    return problems;
}

} // namespace tf
