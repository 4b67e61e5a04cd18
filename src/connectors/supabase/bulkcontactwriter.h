#pragma once

#include "connectors/supabase/pgcontacttable.h"
#include "core/connector.h"

#include <QSet>

namespace tf {

// Upserts contacts inside a caller's transaction. The upsert only touches a row whose values differ (timestamps
// compared at the contract's millisecond precision, updated_at not at all: it is the layer's own modification
// time), so writing the same batch twice changes nothing, fires no trigger, logs no change and keeps updated_at.
//
// Writes are conditional (ExpectedVersions): in the same transaction, before writing, the rows of the contacts
// `expected` constrains are read and locked FOR UPDATE; a contact whose row no longer holds the expected version is
// not written but reported in WriteResult::moved. A contact expected absent has no row to lock, so it is inserted
// with ON CONFLICT DO NOTHING: a row someone else inserted meanwhile (committed, or still in flight: the insert waits
// for that transaction) is never overwritten, and the contact is reported moved.
class BulkContactWriter
{
public:
    BulkContactWriter(const SupabaseSchema &schema, const PgContactTable &table);

    // The bulk path: COPY the rows into a temp table that lives only as long as the transaction (ON COMMIT DROP is
    // pooler-safe, §1.3 rule c), then INSERT ... SELECT ... ON CONFLICT. Returns the rows as stored and the moved ids.
    WriteResult writeBulk(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                          const ExpectedVersions &expected) const;
    // The isolation path after the bulk statement failed on some row's data: each row in its own savepoint; a row
    // the server refuses lands in `rejected` with the server's message, the others are written.
    WriteResult writeRowByRow(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                              const ExpectedVersions &expected) const;

private:
    // The contacts of a chunk that may be written now, their rows locked until the transaction ends.
    struct Admitted {
        QList<Contact> contacts;
        QSet<QString> createOnly; // expected absent (and absent now): insert, never update
        QStringList moved;
    };
    enum class OnConflict {
        Update, // upsert: replace the row when its values differ
        Skip,   // create only: leave an existing row alone; RETURNING names the rows inserted
    };

    Admitted admit(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                   const ExpectedVersions &expected) const;
    // Writes the rows staged in tf_stage; returns those of `createOnly` that were inserted (the others exist).
    QSet<QString> insertStaged(pqxx::transaction_base &transaction, const QSet<QString> &createOnly) const;
    // INSERT ... SELECT from `source`, which must yield a row `r` of the table's row type, the rows `where` selects.
    QString insertSql(const QString &source, const QString &where, OnConflict onConflict) const;

    const SupabaseSchema &m_schema;
    const PgContactTable &m_table;
};

} // namespace tf
