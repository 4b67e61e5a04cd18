#pragma once

#include "connectors/bigquery/schemafield.h"

#include <QJsonValue>
#include <QVariant>
#include <optional>

namespace tf {

// Turns the cells of a query result (`rows[].f[].v`, bigquery-rest.md §1.3) into values. Every scalar arrives as
// a JSON string or null; structure as nested f/v. The value types:
//   INT64 → qint64, FLOAT64 → double (NaN and infinities included), BOOL → bool, STRING/GEOGRAPHY/NUMERIC/
//   BIGNUMERIC/INTERVAL/RANGE → QString (decimal and WKT text kept exact), BYTES → QByteArray, TIMESTAMP →
//   QDateTime UTC (ms), DATE → QDate, TIME → QTime, DATETIME → QDateTime (civil time, UTC spec), JSON → QJsonValue,
//   REPEATED → QVariantList ([] and a NULL array alike: BigQuery returns NULL arrays as []), STRUCT → QVariantMap.
// NULL is an invalid QVariant. A cell of the wrong JSON shape or unparsable text throws ConnectorError naming the
// column path (`tags[2]`, `addr.zip`) and what was wrong; callers add which request and row.
class CellDecoder
{
public:
    static QVariant decode(const SchemaField &field, const QJsonValue &cell);
    // One row `{"f": [...]}` into column name → value, cells in schema order.
    static QVariantMap decodeRow(const QList<SchemaField> &schema, const QJsonValue &row);

    // TIMESTAMP text in any of the three output formats (§1.3): int64 microseconds ("1706313600000000", what we ask
    // for), float seconds in Java notation ("1.7063136E9", the default; parsed exactly, digit by digit, so no
    // microsecond is lost to a double), or ISO-8601 ("2024-01-27T00:00:00.000000Z"). nullopt when it is none.
    static std::optional<qint64> timestampMicros(const QString &text);
    // The `v` of a TIMESTAMP cell as microseconds; throws like decode(); nullopt for NULL.
    static std::optional<qint64> timestampCellMicros(const SchemaField &field, const QJsonValue &cell);

private:
    static QVariant decodeValue(const SchemaField &field, const QJsonValue &value, const QString &path);
    static QVariant decodeScalar(const SchemaField &field, const QString &text, const QString &path);
};

} // namespace tf
