#pragma once

#include "connectors/supabase/supabaseschema.h"
#include "core/contact.h"

#include <QHash>

#include <pqxx/transaction_base>

namespace tf {

// Reads contacts from the table inside a caller's transaction. The columns are selected by name (a column someone
// dropped fails with 42703 naming it instead of reading as NULL) and packed by row_to_json (PgContactCodec).
class PgContactTable
{
public:
    explicit PgContactTable(const SupabaseSchema &schema);

    // The current rows of these ids, in the order of `ids`; absent ids are skipped. Chunked to bound the
    // parameter and the answer.
    QList<Contact> byIds(pqxx::transaction_base &transaction, const QStringList &ids) const;
    // The same rows, decoded the same way (so their content hashes match what byIds answered the engine), locked
    // FOR UPDATE until the transaction ends: nobody can update or delete them before the caller's write commits.
    QHash<QString, Contact> lockByIds(pqxx::transaction_base &transaction, const QStringList &ids) const;
    // Keyset page in contact_id order: the rows after `afterId` ("" = from the first).
    QList<Contact> page(pqxx::transaction_base &transaction, const QString &afterId, int limit) const;

private:
    QHash<QString, Contact> select(pqxx::transaction_base &transaction, const QStringList &ids, bool lock) const;
    QList<Contact> decode(const pqxx::result &rows) const;

    const SupabaseSchema &m_schema;
};

} // namespace tf
