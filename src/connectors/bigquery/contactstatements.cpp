#include "connectors/bigquery/contactstatements.h"

#include "connectors/bigquery/parameterencoder.h"
#include "core/fieldregistry.h"

namespace tf {

namespace {

// Whether BigQuery can compare the column with = (JSON and ARRAY columns cannot).
bool comparable(const FieldSpec &spec)
{
    return spec.kind != FieldKind::Json && spec.kind != FieldKind::StringList;
}

QString differs(const FieldSpec &spec)
{
    if (comparable(spec))
        return QStringLiteral("T.%1 IS DISTINCT FROM S.%1").arg(spec.name);
    return QStringLiteral("TO_JSON_STRING(T.%1) IS DISTINCT FROM TO_JSON_STRING(S.%1)").arg(spec.name);
}

// Whether the target row is still the version the write was planned from (ParameterEncoder::mergeRows). BigQuery
// has no row version, but updated_at is one: every writer sets it (our MERGE, outside DML too, since it is how
// changes are read). The engine holds timestamps at millisecond precision (ContactRowReader floors BigQuery's
// microseconds), and UNIX_MILLIS floors the same way, so both sides are compared in milliseconds (two commits to
// one row within a millisecond would look like one version; a DML job takes far longer). IS NOT DISTINCT
// FROM keeps a row an outside writer left without updated_at comparable (NULL = NULL holds); expect_present keeps
// that NULL from matching the NULL expected_updated_at of a write that may only create the row.
QString stillExpected()
{
    return QStringLiteral("(S.%1 OR (S.%2 AND UNIX_MILLIS(T.updated_at) IS NOT DISTINCT FROM UNIX_MILLIS(S.%3)))")
        .arg(ParameterEncoder::kUnconditional, ParameterEncoder::kExpectPresent, ParameterEncoder::kExpectedUpdatedAt);
}

// Whether a missing target row may be created: nobody planned from a row, or nobody planned at all.
QString mayCreate()
{
    return QStringLiteral("(S.%1 OR NOT S.%2)").arg(ParameterEncoder::kUnconditional, ParameterEncoder::kExpectPresent);
}

} // namespace

ContactStatements::ContactStatements(const TableRef &table)
    : m_table(table)
{
}

QString ContactStatements::columnList()
{
    return FieldRegistry::names().join(QStringLiteral(", "));
}

QString ContactStatements::selectByIds() const
{
    return QStringLiteral("SELECT %1 FROM %2 WHERE contact_id IN UNNEST(@ids)").arg(columnList(), m_table.sql());
}

QString ContactStatements::selectChanges(const BigQueryWatermark &from, int limit) const
{
    QString where;
    if (!from.atStart && from.updatedAtMicros)
        where = QStringLiteral(" WHERE updated_at > @ts OR (updated_at = @ts AND contact_id > @id)");
    else if (!from.atStart)
        where = QStringLiteral(" WHERE updated_at IS NOT NULL OR contact_id > @id");
    return QStringLiteral("SELECT %1 FROM %2%3 ORDER BY updated_at, contact_id LIMIT %4")
        .arg(columnList(), m_table.sql(), where)
        .arg(limit);
}

QString ContactStatements::merge() const
{
    QStringList conditions;
    QStringList assignments;
    QStringList columns;
    QStringList values;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        columns.append(spec.name);
        if (spec.name == field::UpdatedAt) {
            assignments.append(QStringLiteral("updated_at = CURRENT_TIMESTAMP()"));
            values.append(QStringLiteral("CURRENT_TIMESTAMP()"));
            continue;
        }
        values.append(QStringLiteral("S.") + spec.name);
        if (spec.name == field::ContactId)
            continue;
        conditions.append(differs(spec));
        assignments.append(QStringLiteral("%1 = S.%1").arg(spec.name));
    }
    return QStringLiteral("MERGE %1 T\nUSING UNNEST(@rows) S\nON T.contact_id = S.contact_id\n"
                          "WHEN MATCHED AND %2 AND (%3) THEN\n  UPDATE SET %4\n"
                          "WHEN NOT MATCHED AND %5 THEN\n  INSERT (%6) VALUES (%7)")
        .arg(m_table.sql(), stillExpected(), conditions.join(QStringLiteral("\n    OR ")),
             assignments.join(QStringLiteral(", ")), mayCreate(), columns.join(QStringLiteral(", ")),
             values.join(QStringLiteral(", ")));
}

} // namespace tf
