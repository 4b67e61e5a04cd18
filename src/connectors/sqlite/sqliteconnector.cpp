#include "connectors/sqlite/sqliteconnector.h"

#include "connectors/sqlite/sqliterowcodec.h"
#include "connectors/sqlite/sqliteschema.h"
#include "core/contactnormalizer.h"
#include "core/logging.h"

#include <QSqlError>
#include <functional>

namespace tf {

namespace {

const QString kProvisionHint = QStringLiteral("run tfsync provision");

} // namespace

SqliteConnector::SqliteConnector(const LocalSettings &settings, QObject *parent)
    : Connector(parent)
    , m_db(settings.path)
    , m_log(m_db)
    , m_watcher(settings.path, this)
{
    if (settings.path.isEmpty())
        throw ConnectorError(Layer::Local, ConnectorError::Kind::Configuration, QStringLiteral("[local] path is empty"));
    connect(&m_watcher, &SqliteFileWatcher::touched, this, &SqliteConnector::checkForOutsideChanges);
}

void SqliteConnector::provision()
{
    m_db.beginWrite();
    try {
        SqliteSchema::provision(m_db);
        m_db.commit();
    } catch (...) {
        m_db.rollback();
        throw;
    }
}

ChangePage SqliteConnector::readChanges(const QString &watermark, int limit)
{
    limit = std::max(limit, 1);
    ChangePage page;
    const QString kind = watermark.section(QLatin1Char(':'), 0, 0);
    bool numeric = false;
    const qint64 position = watermark.section(QLatin1Char(':'), 1, 1).toLongLong(&numeric);
    if (watermark.isEmpty())
        page = readWholeTable(m_log.lastPosition(), QString(), limit);
    else if (numeric && kind == QLatin1String("full") && watermark.count(QLatin1Char(':')) >= 2)
        page = readWholeTable(position, watermark.section(QLatin1Char(':'), 2), limit);
    else if (numeric && kind == QLatin1String("log") && watermark.count(QLatin1Char(':')) == 1)
        page = readLog(position, limit);
    else
        throw m_db.error(ConnectorError::Kind::Configuration,
                         QStringLiteral("unreadable watermark '%1' (expected full:POSITION:ID or log:POSITION)").arg(watermark));
    // Wake-ups matter from the first read on; by then the file and its -wal file exist.
    m_watcher.watch();
    return page;
}

ChangePage SqliteConnector::readWholeTable(qint64 logPosition, const QString &afterId, int limit)
{
    ChangePage page;
    QSqlQuery query
        = m_db.exec(QStringLiteral("SELECT %1 FROM contacts WHERE contact_id > ? ORDER BY contact_id LIMIT ?")
                        .arg(SqliteSchema::selectList()),
                    {afterId.isNull() ? QStringLiteral("") : afterId, limit});
    while (query.next())
        page.contacts.append(SqliteRowCodec::fromRow(query));
    if (page.contacts.size() == limit) {
        page.hasMore = true;
        page.nextWatermark = QStringLiteral("full:%1:%2").arg(QString::number(logPosition), page.contacts.last().id());
        return page;
    }
    // Whatever changed during the scan is in the log after the position taken at its start.
    page.nextWatermark = QStringLiteral("log:%1").arg(logPosition);
    m_knownExternal = std::max(m_knownExternal, logPosition);
    return page;
}

ChangePage SqliteConnector::readLog(qint64 position, int limit)
{
    const qint64 last = m_log.lastPosition();
    if (position > last) {
        // AUTOINCREMENT never goes back, so a log that ends before the watermark belongs to another file: this one
        // was replaced or restored from a backup. Only reading it whole tells what it holds now.
        qCWarning(lcLocal).noquote() << m_db.path() << "has a change log ending at" << last << "before the watermark"
                                     << position << "(the file was replaced or restored); reading the whole table again";
        return readWholeTable(last, QString(), limit);
    }
    const SqliteChangeLog::Changes changes = m_log.externalChangesAfter(position, limit);
    ChangePage page;
    page.contacts = readByIds(changes.contactIds); // a row deleted since comes as its tombstone
    page.nextWatermark = QStringLiteral("log:%1").arg(changes.consumed);
    page.hasMore = changes.hasMore;
    m_knownExternal = std::max(m_knownExternal, changes.consumed);
    if (!page.hasMore)
        pruneChangeLog(position);
    return page;
}

// A watermark is stored only once its page is applied, so a read from `position` means everything before it is done.
// Pruned in chunks of at least kPruneEvery entries: each prune is a write, and a write wakes the watcher.
void SqliteConnector::pruneChangeLog(qint64 appliedPosition)
{
    static constexpr qint64 kPruneEvery = 1000;
    if (appliedPosition - m_prunedBefore < kPruneEvery)
        return;
    try {
        m_db.beginWrite();
        const int pruned = m_log.pruneBefore(appliedPosition);
        m_db.commit();
        m_prunedBefore = appliedPosition;
        qCDebug(lcLocal).noquote() << m_db.path() << ": pruned" << pruned << "applied change-log entries";
    } catch (const ConnectorError &error) {
        // Housekeeping only (a read-only file refuses it, for one): the read itself succeeded.
        m_db.rollback();
        qCInfo(lcLocal).noquote() << "change log not pruned:" << error.message();
    }
}

QHash<QString, Contact> SqliteConnector::loadRows(const QStringList &contactIds)
{
    QHash<QString, Contact> rows;
    m_db.selectIn(QStringLiteral("SELECT ") + SqliteSchema::selectList()
                      + QStringLiteral(" FROM contacts WHERE contact_id IN (%1)"),
                  contactIds, [&rows](const QSqlQuery &query) {
                      const Contact contact = SqliteRowCodec::fromRow(query);
                      rows.insert(contact.id(), contact);
                  });
    return rows;
}

// Rows someone removed with a physical DELETE live on as tombstones, so the sync never takes them for contacts this
// layer has yet to receive. `rows` are the table's rows of (some of) `contactIds`, as loadRows returns them.
QHash<QString, Contact> SqliteConnector::withTombstones(QHash<QString, Contact> rows, const QStringList &contactIds)
{
    QStringList missing;
    for (const QString &id : contactIds) {
        if (!rows.contains(id))
            missing.append(id);
    }
    rows.insert(m_log.tombstones(missing));
    return rows;
}

QList<Contact> SqliteConnector::readByIds(const QStringList &contactIds)
{
    const QHash<QString, Contact> current = withTombstones(loadRows(contactIds), contactIds);
    QList<Contact> found;
    for (const QString &id : contactIds) {
        if (current.contains(id))
            found.append(current.value(id));
    }
    return found;
}

QString SqliteConnector::upsertStatement()
{
    QStringList values;
    QStringList assignments;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        values << (spec.name == field::UpdatedAt ? SqliteSchema::nowExpression() : QStringLiteral("?"));
        if (spec.name != field::ContactId)
            assignments << QStringLiteral("\"%1\" = excluded.\"%1\"").arg(spec.name);
    }
    return QStringLiteral("INSERT INTO contacts (%1) VALUES (%2) ON CONFLICT(contact_id) DO UPDATE SET %3")
        .arg(SqliteSchema::columnList(), values.join(QLatin1Char(',')), assignments.join(QStringLiteral(", ")));
}

// updated_at is the layer's own modification time; every other column, sync_meta included, must already hold
// the incoming value for the write to be skipped.
bool SqliteConnector::storedAsIs(const Contact &stored, const Contact &incoming)
{
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (spec.name != field::UpdatedAt && !ContactNormalizer::valuesEqual(spec, stored.value(spec.index), incoming.value(spec.index)))
            return false;
    }
    return true;
}

WriteResult SqliteConnector::writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected)
{
    WriteResult result;
    if (contacts.isEmpty())
        return result;
    QStringList ids;
    for (const Contact &contact : contacts)
        ids.append(contact.id());
    QStringList written;
    m_db.beginWrite();
    try {
        // Raised for this transaction only: the triggers log these writes as the sync's own (SqliteSchema).
        if (m_db.exec(QStringLiteral("UPDATE sync_control SET applying = 1 WHERE id = 1")).numRowsAffected() != 1)
            throw m_db.error(ConnectorError::Kind::Schema, QStringLiteral("table sync_control has no row; run tfsync provision"));
        const QHash<QString, Contact> before = loadRows(ids);
        // Compared with what readByIds would answer now (tombstones included), the version the engine planned from.
        // Exact: BEGIN IMMEDIATE holds the write lock from this read to the commit, so nobody can edit in between.
        const QHash<QString, Contact> current = withTombstones(before, ids);
        QSqlQuery upsert = m_db.prepare(upsertStatement());
        for (const Contact &contact : contacts) {
            if (contact.id().isEmpty()) {
                result.rejected.insert(QString(), QStringLiteral("local: a contact without contact_id cannot be stored"));
                continue;
            }
            if (!expected.stillHolds(contact.id(), current)) {
                result.moved.append(contact.id());
                continue;
            }
            // The same content again changes nothing, not even updated_at, and logs nothing.
            if (before.contains(contact.id()) && storedAsIs(before.value(contact.id()), contact)) {
                written.append(contact.id());
                continue;
            }
            int position = 0;
            for (const FieldSpec &spec : FieldRegistry::fields()) {
                if (spec.name != field::UpdatedAt)
                    upsert.bindValue(position++, SqliteRowCodec::toColumn(spec, contact.value(spec.index)));
            }
            if (upsert.exec()) {
                written.append(contact.id());
                continue;
            }
            // A row the table refuses (a CHECK a person added, a type a STRICT table insists on) is this
            // contact's problem only; anything else ends the batch.
            const ConnectorError refused = m_db.failure(upsert.lastError());
            if (refused.kind() != ConnectorError::Kind::Rejected)
                throw refused;
            result.rejected.insert(contact.id(), QString::fromUtf8(refused.what()));
        }
        m_db.exec(QStringLiteral("UPDATE sync_control SET applying = 0 WHERE id = 1"));
        // Read back under the write lock: after the commit a person's edit could already be in the row, and the
        // engine would record it as what the sync wrote (and never see the edit as a change).
        const QHash<QString, Contact> after = loadRows(written);
        for (const QString &id : std::as_const(written))
            result.stored.append(after.value(id));
        m_db.commit();
    } catch (...) {
        m_db.rollback();
        throw;
    }
    return result;
}

QList<HealthCheck> SqliteConnector::healthChecks()
{
    QList<HealthCheck> checks;
    // A check whose query fails (a file damaged past its header) reports the failure instead of ending the list.
    const auto check = [&checks](const QString &name, const QString &hint, const std::function<QStringList()> &problems,
                                 const QString &fine) {
        QStringList found;
        try {
            found = problems();
        } catch (const ConnectorError &failure) {
            found = {QString::fromUtf8(failure.what())};
        }
        checks.append({name, found.isEmpty(), false, found.isEmpty() ? fine : found.join(QStringLiteral("; ")), hint});
        return found.isEmpty();
    };
    const bool reachable = check(QStringLiteral("reachable"), QStringLiteral("check [local] path and that it names a SQLite database"),
                                 [this] {
                                     m_db.exec(QStringLiteral("SELECT count(*) FROM sqlite_master"));
                                     const QString problem = m_db.accessProblem();
                                     return problem.isEmpty() ? QStringList() : QStringList{QStringLiteral("local: %1: %2").arg(m_db.path(), problem)};
                                 },
                                 QStringLiteral("%1 is readable and writable").arg(m_db.path()));
    if (!reachable)
        return checks;
    check(QStringLiteral("integrity"), QStringLiteral("restore the file from a backup"),
          [this] {
              QSqlQuery query = m_db.exec(QStringLiteral("PRAGMA integrity_check(5)"));
              QStringList verdicts;
              while (query.next())
                  verdicts << query.value(0).toString();
              return verdicts == QStringList{QStringLiteral("ok")}
                  ? QStringList()
                  : QStringList{QStringLiteral("local: %1 fails its integrity check: %2").arg(m_db.path(), verdicts.join(QStringLiteral("; ")))};
          },
          QStringLiteral("integrity check passed"));
    check(QStringLiteral("schema"), kProvisionHint, [this] { return SqliteSchema::schemaProblems(m_db); },
          QStringLiteral("table contacts matches the field contract"));
    check(QStringLiteral("change capture"), kProvisionHint, [this] { return SqliteSchema::changeCaptureProblems(m_db); },
          QStringLiteral("change-log triggers installed"));
    return checks;
}

// A wake-up only for writes by someone else: the sync's own writes touch the file as well.
void SqliteConnector::checkForOutsideChanges()
{
    try {
        const qint64 latest = m_log.lastExternalPosition();
        if (latest > m_knownExternal) {
            m_knownExternal = latest;
            emit changesAvailable();
        }
    } catch (const ConnectorError &failure) {
        qCWarning(lcLocal).noquote() << failure.what();
    }
}

} // namespace tf
