#include "connectors/sqlite/sqliteconnector.h"

#include "connectors/sqlite/sqliterowcodec.h"
#include "connectors/sqlite/sqliteschema.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

namespace tf {

namespace {

constexpr int kIdChunk = 500; // stays far below SQLite's bound-variable limit

QString placeholders(qsizetype count)
{
    QStringList marks;
    for (qsizetype i = 0; i < count; ++i)
        marks << QStringLiteral("?");
    return marks.join(QLatin1Char(','));
}

QString columnList()
{
    QStringList columns;
    for (const FieldSpec &spec : FieldRegistry::fields())
        columns << QStringLiteral("\"%1\"").arg(spec.name);
    return columns.join(QStringLiteral(", "));
}

} // namespace

SqliteConnector::SqliteConnector(const LocalSettings &settings, QObject *parent)
    : Connector(parent)
    , m_settings(settings)
    , m_connectionName(QStringLiteral("tf-local-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    if (m_settings.path.isEmpty())
        throw error(ConnectorError::Kind::Configuration, QStringLiteral("local/path is empty"));
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(500);
    connect(&m_debounce, &QTimer::timeout, this, &SqliteConnector::checkForOutsideChanges);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, &m_debounce, qOverload<>(&QTimer::start));
}

SqliteConnector::~SqliteConnector()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

ConnectorError SqliteConnector::error(ConnectorError::Kind kind, const QString &what) const
{
    return ConnectorError(Layer::Local, kind, QStringLiteral("%1: %2").arg(m_settings.path, what));
}

QSqlDatabase SqliteConnector::database()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            return db;
    }
    QDir().mkpath(QFileInfo(m_settings.path).absolutePath());
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName) ? QSqlDatabase::database(m_connectionName, false)
                                                               : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_settings.path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open())
        throw error(ConnectorError::Kind::Unreachable, QStringLiteral("cannot open: %1").arg(db.lastError().text()));
    QSqlQuery probe(db);
    // A file that is not a database fails on its first statement, not on open.
    if (!probe.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !probe.exec(QStringLiteral("PRAGMA synchronous=NORMAL"))) {
        const QString cause = probe.lastError().text();
        probe.finish();
        db.close();
        throw error(ConnectorError::Kind::Unreachable, QStringLiteral("not a usable SQLite database: %1").arg(cause));
    }
    watchFile();
    return db;
}

QSqlQuery SqliteConnector::exec(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery query(database());
    query.setForwardOnly(true);
    bool ok = query.prepare(sql);
    if (ok) {
        for (const QVariant &binding : bindings)
            query.addBindValue(binding);
        ok = query.exec();
    }
    if (!ok) {
        const QString cause = query.lastError().text();
        const bool schema = cause.contains(QLatin1String("no such column")) || cause.contains(QLatin1String("no such table"));
        throw error(schema ? ConnectorError::Kind::Schema : ConnectorError::Kind::Internal,
                    schema ? QStringLiteral("%1 (run tfsync provision)").arg(cause) : cause);
    }
    return query;
}

void SqliteConnector::provision()
{
    QSqlDatabase db = database();
    db.transaction();
    try {
        SqliteSchema::provision(db);
    } catch (...) {
        db.rollback();
        throw;
    }
    db.commit();
}

qint64 SqliteConnector::lastLogPosition()
{
    QSqlQuery query = exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM contacts_changelog"));
    return query.next() ? query.value(0).toLongLong() : 0;
}

ChangePage SqliteConnector::readChanges(const QString &watermark, int limit)
{
    limit = std::max(limit, 1);
    const QStringList parts = watermark.split(QLatin1Char(':'));
    if (watermark.isEmpty())
        return readFullTable(lastLogPosition(), QString(), limit);
    if (parts.size() >= 3 && parts.first() == QLatin1String("full"))
        return readFullTable(parts.at(1).toLongLong(), parts.mid(2).join(QLatin1Char(':')), limit);
    if (parts.size() == 2 && parts.first() == QLatin1String("log"))
        return readLog(parts.at(1).toLongLong(), limit);
    throw error(ConnectorError::Kind::Configuration, QStringLiteral("unreadable watermark '%1'").arg(watermark));
}

ChangePage SqliteConnector::readFullTable(qint64 logPosition, const QString &afterId, int limit)
{
    ChangePage page;
    QSqlQuery query = exec(QStringLiteral("SELECT %1 FROM contacts WHERE contact_id > ? ORDER BY contact_id LIMIT ?").arg(columnList()),
                           {QVariant(afterId.isNull() ? QStringLiteral("") : afterId), limit});
    while (query.next())
        page.contacts.append(SqliteRowCodec::fromRecord(query.record()));
    if (page.contacts.size() == limit) {
        page.hasMore = true;
        page.nextWatermark = QStringLiteral("full:%1:%2").arg(logPosition).arg(page.contacts.last().id());
    } else {
        // Whatever changed during the scan is in the log after the position taken at its start.
        page.nextWatermark = QStringLiteral("log:%1").arg(logPosition);
    }
    return page;
}

ChangePage SqliteConnector::readLog(qint64 position, int limit)
{
    ChangePage page;
    QStringList ids;
    QHash<QString, QJsonObject> deletedRows;
    QHash<QString, QString> deletedAt;
    qint64 consumed = position;
    QSqlQuery query = exec(QStringLiteral("SELECT seq, contact_id, op, origin, changed_at, old_row FROM contacts_changelog "
                                          "WHERE seq > ? ORDER BY seq LIMIT ?"),
                           {position, limit * 20 + 100});
    bool more = false;
    while (query.next()) {
        const QString id = query.value(1).toString();
        const bool external = query.value(3).toString() == QLatin1String("external");
        if (external && !id.isEmpty() && !ids.contains(id)) {
            if (ids.size() == limit) {
                more = true; // the next contact waits for the next page; its entry is not consumed
                break;
            }
            ids.append(id);
        }
        if (external && query.value(2).toString() == QLatin1String("D")) {
            deletedRows.insert(id, QJsonDocument::fromJson(query.value(5).toString().toUtf8()).object());
            deletedAt.insert(id, query.value(4).toString());
        }
        consumed = query.value(0).toLongLong();
    }
    const QHash<QString, Contact> rows = loadRows(ids);
    for (const QString &id : std::as_const(ids)) {
        if (rows.contains(id)) {
            page.contacts.append(rows.value(id));
        } else if (deletedRows.contains(id)) {
            Contact tombstone = SqliteRowCodec::fromJsonRow(deletedRows.value(id));
            if (!tombstone.isDeleted())
                tombstone.setValue(field::DeletedAt, ContactNormalizer::parseTimestamp(deletedAt.value(id)));
            page.contacts.append(tombstone);
        }
    }
    page.nextWatermark = QStringLiteral("log:%1").arg(consumed);
    page.hasMore = more || lastLogPosition() > consumed;
    return page;
}

QHash<QString, Contact> SqliteConnector::loadRows(const QStringList &contactIds)
{
    QHash<QString, Contact> rows;
    for (qsizetype start = 0; start < contactIds.size(); start += kIdChunk) {
        const QStringList chunk = contactIds.mid(start, kIdChunk);
        QVariantList bindings(chunk.cbegin(), chunk.cend());
        QSqlQuery query = exec(QStringLiteral("SELECT %1 FROM contacts WHERE contact_id IN (%2)").arg(columnList(), placeholders(chunk.size())),
                               bindings);
        while (query.next()) {
            const Contact contact = SqliteRowCodec::fromRecord(query.record());
            rows.insert(contact.id(), contact);
        }
    }
    return rows;
}

// Rows someone removed with a physical DELETE live on as tombstones (the old row is in the change log), so the
// sync never mistakes them for contacts the layer has yet to receive.
QHash<QString, Contact> SqliteConnector::tombstonesOfDeletedRows(const QStringList &contactIds)
{
    QHash<QString, Contact> tombstones;
    for (qsizetype start = 0; start < contactIds.size(); start += kIdChunk) {
        const QStringList chunk = contactIds.mid(start, kIdChunk);
        QVariantList bindings(chunk.cbegin(), chunk.cend());
        QSqlQuery query = exec(QStringLiteral("SELECT contact_id, changed_at, old_row FROM contacts_changelog WHERE op = 'D' "
                                              "AND contact_id IN (%1) ORDER BY seq").arg(placeholders(chunk.size())),
                               bindings);
        while (query.next()) {
            Contact tombstone = SqliteRowCodec::fromJsonRow(QJsonDocument::fromJson(query.value(2).toString().toUtf8()).object());
            if (!tombstone.isDeleted())
                tombstone.setValue(field::DeletedAt, ContactNormalizer::parseTimestamp(query.value(1).toString()));
            tombstones.insert(query.value(0).toString(), tombstone);
        }
    }
    return tombstones;
}

QList<Contact> SqliteConnector::readByIds(const QStringList &contactIds)
{
    const QHash<QString, Contact> rows = loadRows(contactIds);
    QStringList missing;
    for (const QString &id : contactIds) {
        if (!rows.contains(id))
            missing.append(id);
    }
    const QHash<QString, Contact> tombstones = missing.isEmpty() ? QHash<QString, Contact>() : tombstonesOfDeletedRows(missing);
    QList<Contact> found;
    for (const QString &id : contactIds) {
        if (rows.contains(id))
            found.append(rows.value(id));
        else if (tombstones.contains(id))
            found.append(tombstones.value(id));
    }
    return found;
}

WriteResult SqliteConnector::writeBatch(const QList<Contact> &contacts)
{
    WriteResult result;
    QStringList ids;
    for (const Contact &contact : contacts)
        ids.append(contact.id());
    const QHash<QString, Contact> before = loadRows(ids);

    QStringList assignments;
    QStringList marks;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        marks << (spec.name == field::UpdatedAt ? SqliteSchema::nowExpression() : QStringLiteral("?"));
        if (spec.name != field::ContactId)
            assignments << QStringLiteral("\"%1\" = excluded.\"%1\"").arg(spec.name);
    }
    const QString upsert = QStringLiteral("INSERT INTO contacts (%1) VALUES (%2) ON CONFLICT(contact_id) DO UPDATE SET %3")
                               .arg(columnList(), marks.join(QLatin1Char(',')), assignments.join(QStringLiteral(", ")));

    QSqlDatabase db = database();
    if (!db.transaction())
        throw error(ConnectorError::Kind::Transient, QStringLiteral("cannot begin a transaction: %1").arg(db.lastError().text()));
    QStringList written;
    try {
        // Raised for this transaction only: the triggers log these writes as the sync's own.
        exec(QStringLiteral("UPDATE sync_control SET applying = 1 WHERE id = 1"));
        for (const Contact &contact : contacts) {
            if (contact.id().isEmpty()) {
                result.rejected.insert(contact.id(), QStringLiteral("local: a contact without contact_id"));
                continue;
            }
            // The same content again changes nothing, not even updated_at (idempotent upsert).
            if (before.contains(contact.id()) && ContentHash::of(before.value(contact.id())) == ContentHash::of(contact)) {
                written.append(contact.id());
                continue;
            }
            QSqlQuery query(db);
            query.prepare(upsert);
            for (const FieldSpec &spec : FieldRegistry::fields()) {
                if (spec.name != field::UpdatedAt)
                    query.addBindValue(SqliteRowCodec::toColumn(spec, contact.value(spec.index)));
            }
            if (query.exec())
                written.append(contact.id());
            else
                result.rejected.insert(contact.id(), QStringLiteral("local: %1").arg(query.lastError().text()));
        }
        exec(QStringLiteral("UPDATE sync_control SET applying = 0 WHERE id = 1"));
    } catch (...) {
        db.rollback();
        throw;
    }
    if (!db.commit()) {
        const QString cause = db.lastError().text();
        db.rollback();
        throw error(ConnectorError::Kind::Transient, QStringLiteral("commit failed: %1").arg(cause));
    }
    const QHash<QString, Contact> after = loadRows(written);
    for (const QString &id : std::as_const(written))
        result.stored.append(after.value(id));
    return result;
}

QList<HealthCheck> SqliteConnector::healthChecks()
{
    QList<HealthCheck> checks;
    try {
        database();
    } catch (const ConnectorError &failure) {
        checks.append({QStringLiteral("reachable"), false, false, failure.message(),
                       QStringLiteral("check the path in [local] and that the file is a SQLite database")});
        return checks;
    }
    const QFileInfo directory(QFileInfo(m_settings.path).absolutePath());
    checks.append({QStringLiteral("reachable"), directory.isWritable(), false,
                   QStringLiteral("%1 %2").arg(m_settings.path, directory.isWritable() ? QStringLiteral("is writable") : QStringLiteral("is in a read-only directory")),
                   QString()});
    QSqlQuery integrity = exec(QStringLiteral("PRAGMA integrity_check"));
    const QString verdict = integrity.next() ? integrity.value(0).toString() : QStringLiteral("no answer");
    checks.append({QStringLiteral("integrity"), verdict == QLatin1String("ok"), false,
                   QStringLiteral("integrity check: %1").arg(verdict), QStringLiteral("restore the file from a backup")});
    QSqlDatabase db = database();
    const QStringList problems = SqliteSchema::schemaProblems(db);
    checks.append({QStringLiteral("schema"), problems.isEmpty(), false,
                   problems.isEmpty() ? QStringLiteral("table contacts matches the field contract") : problems.join(QStringLiteral("; ")),
                   QStringLiteral("run tfsync provision")});
    const bool capture = SqliteSchema::changeCaptureInstalled(db);
    checks.append({QStringLiteral("change capture"), capture, false,
                   capture ? QStringLiteral("change-log triggers installed") : QStringLiteral("change-log triggers missing"),
                   QStringLiteral("run tfsync provision")});
    return checks;
}

void SqliteConnector::watchFile()
{
    for (const QString &file : {m_settings.path, m_settings.path + QStringLiteral("-wal")}) {
        if (QFileInfo::exists(file) && !m_watcher.files().contains(file))
            m_watcher.addPath(file);
    }
}

// A wake-up only for changes someone else made: the sync's own writes also touch the file.
void SqliteConnector::checkForOutsideChanges()
{
    watchFile();
    try {
        QSqlQuery query = exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM contacts_changelog WHERE origin = 'external'"));
        const qint64 latest = query.next() ? query.value(0).toLongLong() : 0;
        if (m_notifiedPosition >= 0 && latest > m_notifiedPosition)
            emit changesAvailable();
        m_notifiedPosition = latest;
    } catch (const ConnectorError &failure) {
        qCWarning(lcLocal).noquote() << failure.what();
    }
}

} // namespace tf
