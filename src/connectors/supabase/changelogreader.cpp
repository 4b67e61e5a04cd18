#include "connectors/supabase/changelogreader.h"

#include "connectors/supabase/pgcontactcodec.h"
#include "core/contactnormalizer.h"

#include <QHash>
#include <pqxx/result>

namespace tf {

namespace {

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString text(const pqxx::field &field)
{
    return QString::fromUtf8(field.c_str(), int(field.size()));
}

} // namespace

ChangeLogReader::ChangeLogReader(const SupabaseSchema &schema, const PgContactTable &table)
    : m_schema(schema)
    , m_table(table)
{
}

ChangePage ChangeLogReader::read(pqxx::transaction_base &transaction, const QString &watermark, int limit) const
{
    const SupabaseWatermark mark = SupabaseWatermark::decode(watermark);
    return mark.phase == SupabaseWatermark::Phase::Full ? readFull(transaction, mark, qMax(limit, 1))
                                                        : readLog(transaction, mark, qMax(limit, 1));
}

ChangePage ChangeLogReader::readFull(pqxx::transaction_base &transaction, SupabaseWatermark mark, int limit) const
{
    if (mark.txid == 0)
        mark.txid = transaction.exec("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")[0][0].as<quint64>();
    ChangePage page;
    page.contacts = m_table.page(transaction, mark.afterContactId, limit);
    page.hasMore = page.contacts.size() == limit;
    if (page.hasMore) {
        mark.afterContactId = page.contacts.constLast().id();
    } else {
        // Done: the log continues from the xmin the full read began with (entry (txid, 0) precedes all of txid's).
        mark = SupabaseWatermark{SupabaseWatermark::Phase::Log, mark.txid, 0, QString()};
    }
    page.nextWatermark = mark.encode();
    return page;
}

ChangePage ChangeLogReader::readLog(pqxx::transaction_base &transaction, const SupabaseWatermark &mark, int limit) const
{
    // Entries of the sync's own writes are consumed too (skipped), so scan beyond `limit` contacts' worth.
    const int scanLimit = qBound(100, limit * 4, 20000);
    const pqxx::result entries = transaction.exec_params(
        utf8(QStringLiteral("SELECT txid::text, seq, contact_id, origin, op FROM %1 "
                            "WHERE (txid, seq) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot()) "
                            "ORDER BY txid, seq LIMIT $3")
                 .arg(m_schema.qualifiedChangeLog())),
        QString::number(mark.txid).toStdString(), mark.seq, scanLimit);

    SupabaseWatermark next = mark;
    QStringList ids;
    QHash<QString, qint64> lastDelete; // contact id → seq of its latest delete in this page
    bool stoppedEarly = false;
    for (const pqxx::row &entry : entries) {
        const QString id = text(entry[2]);
        const bool external = text(entry[3]) != QLatin1String("sync");
        if (external && !ids.contains(id)) {
            if (ids.size() == limit) {
                stoppedEarly = true;
                break;
            }
            ids.append(id);
        }
        if (external && text(entry[4]) == QLatin1String("D"))
            lastDelete.insert(id, entry[1].as<qint64>());
        next.txid = entry[0].as<quint64>();
        next.seq = entry[1].as<qint64>();
    }

    ChangePage page;
    page.hasMore = stoppedEarly || int(entries.size()) == scanLimit;
    page.nextWatermark = next.encode();
    QHash<QString, Contact> found;
    for (const Contact &contact : m_table.byIds(transaction, ids))
        found.insert(contact.id(), contact);
    // A row that is gone was deleted (by a person: the sync only writes tombstones); its last delete carries the
    // old values. A row gone without a delete in this page was deleted later: that delete is reported then.
    QList<qint64> deleteSeqs;
    for (const QString &id : std::as_const(ids)) {
        if (!found.contains(id) && lastDelete.contains(id))
            deleteSeqs.append(lastDelete.value(id));
    }
    for (const Contact &tombstone : tombstones(transaction, deleteSeqs))
        found.insert(tombstone.id(), tombstone);
    for (const QString &id : std::as_const(ids)) {
        if (found.contains(id))
            page.contacts.append(found.value(id));
    }
    return page;
}

QList<Contact> ChangeLogReader::tombstones(pqxx::transaction_base &transaction, const QList<qint64> &deleteSeqs) const
{
    if (deleteSeqs.isEmpty())
        return {};
    QStringList seqs;
    for (qint64 seq : deleteSeqs)
        seqs << QString::number(seq);
    const pqxx::result rows = transaction.exec_params(
        utf8(QStringLiteral("SELECT old_row::text, to_char(changed_at AT TIME ZONE 'UTC', "
                            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM %1 WHERE seq = ANY($1::bigint[])")
                 .arg(m_schema.qualifiedChangeLog())),
        utf8(QLatin1Char('{') + seqs.join(QLatin1Char(',')) + QLatin1Char('}')));
    QList<Contact> contacts;
    for (const pqxx::row &row : rows) {
        Contact contact = PgContactCodec::fromDocument(QByteArray(row[0].c_str(), int(row[0].size())),
                                                       m_schema.displayName() + QStringLiteral(" change log"));
        // A row that was already a tombstone keeps when it was deleted; otherwise the DELETE is the deletion.
        if (contact.isNull(FieldRegistry::indexOf(field::DeletedAt)))
            contact.setValue(field::DeletedAt, ContactNormalizer::parseTimestamp(text(row[1])));
        contacts.append(contact);
    }
    return contacts;
}

void ChangeLogReader::prune(pqxx::transaction_base &transaction, const QString &watermark) const
{
    const SupabaseWatermark mark = SupabaseWatermark::decode(watermark);
    if (mark.phase != SupabaseWatermark::Phase::Log)
        return;
    transaction.exec_params(utf8(QStringLiteral("DELETE FROM %1 WHERE (txid, seq) <= ($1::xid8, $2::bigint) "
                                                "AND changed_at < now() - interval '1 day'")
                                     .arg(m_schema.qualifiedChangeLog())),
                            QString::number(mark.txid).toStdString(), mark.seq);
}

} // namespace tf
