#pragma once

#include "connectors/supabase/pgcontacttable.h"
#include "connectors/supabase/supabasewatermark.h"
#include "core/connector.h"

namespace tf {

// readChanges over the table and its trigger-fed change log (§1.4).
//
// Why the log is consumed in (txid, seq) order and only below the snapshot's xmin: seq is handed out when a row
// is written, not when its transaction commits, so a slow transaction can commit a *lower* seq after a higher one
// was already read. Every transaction whose txid is below pg_snapshot_xmin(pg_current_snapshot()) has finished, so
// that part of the log is final; and anything that appears later belongs to a transaction at or above that xmin,
// i.e. sorts after every entry already consumed. A watermark of "highest seq read" alone can skip the slow
// transaction's entry (an older transaction may commit a higher seq first); (txid, seq) cannot.
class ChangeLogReader
{
public:
    ChangeLogReader(const SupabaseSchema &schema, const PgContactTable &table);

    ChangePage read(pqxx::transaction_base &transaction, const QString &watermark, int limit) const;
    // Drops log entries at or below `watermark` (the engine only passes a watermark it has applied) that are
    // older than a day, so the log does not eat the free plan's 500 MB (§1.7). The day leaves room for a
    // second state database (a restored backup) still catching up.
    void prune(pqxx::transaction_base &transaction, const QString &watermark) const;

private:
    ChangePage readFull(pqxx::transaction_base &transaction, SupabaseWatermark mark, int limit) const;
    ChangePage readLog(pqxx::transaction_base &transaction, const SupabaseWatermark &mark, int limit) const;
    QList<Contact> tombstones(pqxx::transaction_base &transaction, const QList<qint64> &deleteSeqs) const;

    const SupabaseSchema &m_schema;
    const PgContactTable &m_table;
};

} // namespace tf
