#pragma once

#include "connectors/supabase/pgcontacttable.h"
#include "core/connector.h"

namespace tf {

// Upserts contacts inside a caller's transaction. The upsert only touches a row whose values differ (timestamps
// compared at the contract's millisecond precision, updated_at not at all: it is the layer's own modification
// time), so writing the same batch twice changes nothing, fires no trigger, logs no change and keeps updated_at.
class BulkContactWriter
{
public:
    BulkContactWriter(const SupabaseSchema &schema, const PgContactTable &table);

    // The bulk path: COPY the rows into a temp table that lives only as long as the transaction (ON COMMIT DROP is
    // pooler-safe, §1.3 rule c), then one INSERT ... SELECT ... ON CONFLICT. Returns the rows as stored.
    QList<Contact> writeBulk(pqxx::transaction_base &transaction, const QList<Contact> &contacts) const;
    // The isolation path after the bulk statement failed on some row's data: each row in its own savepoint; a row
    // the server refuses lands in `rejected` with the server's message, the others are written.
    QList<Contact> writeRowByRow(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                                 QHash<QString, QString> *rejected) const;

private:
    // INSERT ... SELECT from `source`, which must yield a row `r` of the table's row type.
    QString upsertSql(const QString &source) const;

    const SupabaseSchema &m_schema;
    const PgContactTable &m_table;
};

} // namespace tf
