#pragma once

#include "connectors/bigquery/bigquerywatermark.h"
#include "connectors/bigquery/tableref.h"

namespace tf {

// The GoogleSQL the connector runs against the canonical table, generated from the field registry. Values are
// always named parameters: @ids (ARRAY<STRING>), @ts (TIMESTAMP), @id (STRING), @rows (ARRAY<STRUCT<…>>).
class ContactStatements
{
public:
    explicit ContactStatements(const TableRef &table);

    static QString columnList(); // every contract column, registry order

    QString selectByIds() const; // WHERE contact_id IN UNNEST(@ids)
    // One page of changes after `from` (see BigQueryWatermark): `limit` rows in keyset order.
    QString selectChanges(const BigQueryWatermark &from, int limit) const;
    // The upsert of §2.5 for one batch in @rows. updated_at is the writer's: CURRENT_TIMESTAMP(). A matched row
    // is only updated when some column differs (IS DISTINCT FROM, NULL-safe), so writing the same content again
    // changes nothing and does not move updated_at. JSON and ARRAY columns have no equality in BigQuery: they
    // are compared as TO_JSON_STRING(…). Nothing is ever deleted: a tombstone is a row with deleted_at set.
    // Each row carries its write's condition (ParameterEncoder::mergeRows): a row planned from a version is only
    // updated while the table still holds that version (same updated_at), one planned from no row only inserted.
    // A refused row is simply left alone; the caller sees it in the read-back.
    QString merge() const;

private:
    TableRef m_table;
};

} // namespace tf
