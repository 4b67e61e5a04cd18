#include "connectors/supabase/pgcontacttable.h"

#include "connectors/supabase/pgcontactcodec.h"

#include <pqxx/result>

namespace tf {

namespace {

constexpr int kIdsPerStatement = 1000;

std::string utf8(const QString &text)
{
    return text.toStdString();
}

} // namespace

PgContactTable::PgContactTable(const SupabaseSchema &schema)
    : m_schema(schema)
{
}

QList<Contact> PgContactTable::decode(const pqxx::result &rows) const
{
    QList<Contact> contacts;
    contacts.reserve(int(rows.size()));
    for (const pqxx::row &row : rows) {
        const pqxx::field document = row[0];
        contacts.append(PgContactCodec::fromDocument(QByteArray(document.c_str(), int(document.size())),
                                                     m_schema.displayName()));
    }
    return contacts;
}

QHash<QString, Contact> PgContactTable::select(pqxx::transaction_base &transaction, const QStringList &ids,
                                               bool lock) const
{
    // Locked rows are taken in contact_id order, chunk after chunk, so two writers locking overlapping sets queue
    // behind each other instead of deadlocking.
    QStringList ordered = ids;
    if (lock)
        ordered.sort();
    const QString id = SupabaseSchema::quoteIdent(field::ContactId);
    const std::string sql = utf8(QStringLiteral("SELECT row_to_json(r)::text FROM (SELECT %1 FROM %2 "
                                                "WHERE %3 = ANY($1::text[]) %4) r")
                                     .arg(m_schema.columnList(), m_schema.qualifiedTable(), id,
                                          lock ? QStringLiteral("ORDER BY %1 FOR UPDATE").arg(id) : QString()));
    QHash<QString, Contact> found;
    for (int start = 0; start < ordered.size(); start += kIdsPerStatement) {
        const QStringList chunk = ordered.mid(start, kIdsPerStatement);
        for (const Contact &contact : decode(transaction.exec_params(sql, utf8(PgContactCodec::textArrayLiteral(chunk)))))
            found.insert(contact.id(), contact);
    }
    return found;
}

QList<Contact> PgContactTable::byIds(pqxx::transaction_base &transaction, const QStringList &ids) const
{
    QHash<QString, Contact> found = select(transaction, ids, false);
    QList<Contact> ordered;
    ordered.reserve(found.size());
    for (const QString &id : ids) {
        if (found.contains(id))
            ordered.append(found.take(id)); // take: an id asked twice is answered once
    }
    return ordered;
}

QHash<QString, Contact> PgContactTable::lockByIds(pqxx::transaction_base &transaction, const QStringList &ids) const
{
    return select(transaction, ids, true);
}

QList<Contact> PgContactTable::page(pqxx::transaction_base &transaction, const QString &afterId, int limit) const
{
    const QString id = SupabaseSchema::quoteIdent(field::ContactId);
    const QString sql = QStringLiteral("SELECT row_to_json(r)::text FROM (SELECT %1 FROM %2 %3 ORDER BY %4 LIMIT $1) r "
                                       "ORDER BY r.%4")
                            .arg(m_schema.columnList(), m_schema.qualifiedTable(),
                                 afterId.isEmpty() ? QString() : QStringLiteral("WHERE %1 > $2").arg(id), id);
    return decode(afterId.isEmpty() ? transaction.exec_params(utf8(sql), limit)
                                    : transaction.exec_params(utf8(sql), limit, utf8(afterId)));
}

} // namespace tf
