#include "connectors/supabase/pgcontacttable.h"

#include "connectors/supabase/pgcontactcodec.h"

#include <QHash>
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

QList<Contact> PgContactTable::byIds(pqxx::transaction_base &transaction, const QStringList &ids) const
{
    const std::string sql = utf8(QStringLiteral("SELECT row_to_json(r)::text FROM (SELECT %1 FROM %2 "
                                                "WHERE %3 = ANY($1::text[])) r")
                                     .arg(m_schema.columnList(), m_schema.qualifiedTable(),
                                          SupabaseSchema::quoteIdent(field::ContactId)));
    QHash<QString, Contact> found;
    for (int start = 0; start < ids.size(); start += kIdsPerStatement) {
        const QStringList chunk = ids.mid(start, kIdsPerStatement);
        for (const Contact &contact : decode(transaction.exec_params(sql, utf8(PgContactCodec::textArrayLiteral(chunk)))))
            found.insert(contact.id(), contact);
    }
    QList<Contact> ordered;
    ordered.reserve(found.size());
    for (const QString &id : ids) {
        if (found.contains(id))
            ordered.append(found.take(id)); // take: an id asked twice is answered once
    }
    return ordered;
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
