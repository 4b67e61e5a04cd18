// BigQuery's query results as the cell decoder meets them (bigquery-rest.md §1.2-1.3): the input is a
// jobs.query / getQueryResults body, or a bare list of rows. The decoder documents one error, ConnectorError;
// TIMESTAMP text in its three formats must decode to the same microseconds.
#include "connectors/bigquery/celldecoder.h"
#include "core/connector.h"
#include "fuzzsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace tf;

namespace {

// Every type the decoder knows, REPEATED and STRUCT nesting included, so cells of a body without a schema (or
// with a dull one) still reach every scalar decoder.
const QList<SchemaField> &everyType()
{
    static const QList<SchemaField> schema = SchemaField::listFromJson(QJsonDocument::fromJson(R"([
            {"name": "i", "type": "INTEGER"}, {"name": "f", "type": "FLOAT"}, {"name": "b", "type": "BOOLEAN"},
            {"name": "s", "type": "STRING"}, {"name": "y", "type": "BYTES"}, {"name": "t", "type": "TIMESTAMP"},
            {"name": "d", "type": "DATE"}, {"name": "tm", "type": "TIME"}, {"name": "dt", "type": "DATETIME"},
            {"name": "j", "type": "JSON"}, {"name": "n", "type": "NUMERIC"}, {"name": "g", "type": "GEOGRAPHY"},
            {"name": "tags", "type": "STRING", "mode": "REPEATED"},
            {"name": "stamps", "type": "TIMESTAMP", "mode": "REPEATED"},
            {"name": "addr", "type": "RECORD", "fields": [
                {"name": "zip", "type": "INT64"},
                {"name": "lines", "type": "RECORD", "mode": "REPEATED", "fields": [{"name": "text", "type": "STRING"}]}]}
        ])")
                                                                           .array(),
                                                                       QStringLiteral("fuzz"));
    return schema;
}

qint64 floorDiv(qint64 value, qint64 divisor)
{
    return value / divisor - ((value % divisor != 0 && value < 0) ? 1 : 0);
}

// BigQuery's TIMESTAMP range, 0001-01-01 to 9999-12-31 (§1.3): inside it, the three output formats of one instant
// must decode to the same microseconds.
void checkTimestampFormats(qint64 micros)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(floorDiv(micros, 1000), Qt::UTC);
    if (!at.isValid() || at.date().year() < 1 || at.date().year() > 9999)
        return;
    const quint64 magnitude = micros < 0 ? quint64(0) - quint64(micros) : quint64(micros);
    const QString sign = micros < 0 ? QStringLiteral("-") : QString();
    const QString digits = QString::number(magnitude).rightJustified(7, QLatin1Char('0'));
    const QString texts[] = {
        QString::number(micros), // int64 microseconds, what the connector asks for
        sign + digits.left(digits.size() - 6) + QLatin1Char('.') + digits.right(6), // float seconds
        sign + digits.left(1) + QLatin1Char('.') + digits.mid(1) + QLatin1Char('E')
            + QString::number(digits.size() - 7),           // Java notation, "1.7063136E9"
        at.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) // ISO-8601 with microseconds
            + QString::number(at.time().msec() * 1000 + (micros - floorDiv(micros, 1000) * 1000))
                  .rightJustified(6, QLatin1Char('0'))
            + QLatin1Char('Z'),
    };
    for (const QString &text : texts) {
        const std::optional<qint64> back = CellDecoder::timestampMicros(text);
        TF_FUZZ_CHECK(back == micros,
                      QStringLiteral("%1 decodes to %2, not %3")
                          .arg(text, back ? QString::number(*back) : QStringLiteral("nothing"))
                          .arg(micros));
    }
}

// Every string in the body is a candidate TIMESTAMP text.
void checkStrings(const QJsonValue &value, int depth = 0)
{
    if (depth > 64)
        return;
    if (value.isString()) {
        if (const std::optional<qint64> micros = CellDecoder::timestampMicros(value.toString()))
            checkTimestampFormats(*micros);
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            checkStrings(item, depth + 1);
    } else if (value.isObject()) {
        for (const QJsonValue &item : value.toObject())
            checkStrings(item, depth + 1);
    }
}

void decodeRows(const QList<SchemaField> &schema, const QJsonArray &rows)
{
    for (const QJsonValue &row : rows) {
        try {
            const QVariantMap values = CellDecoder::decodeRow(schema, row);
            TF_FUZZ_CHECK(values.size() <= schema.size(), QStringLiteral("%1 values").arg(values.size()));
        } catch (const ConnectorError &) {
        }
        if (schema.isEmpty())
            continue;
        // Cell by cell as well, each against a column by position: rows of the wrong width reach the decoders too.
        const QJsonArray cells = row.toObject().value(QStringLiteral("f")).toArray();
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const SchemaField &column = schema.at(i % schema.size());
            try {
                CellDecoder::decode(column, cells.at(i));
            } catch (const ConnectorError &) {
            }
            if (column.type == QLatin1String("TIMESTAMP") && !column.repeated()) {
                try {
                    CellDecoder::timestampCellMicros(column, cells.at(i));
                } catch (const ConnectorError &) {
                }
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(fuzz::bytes(data, size));
    const QJsonObject response = document.object();
    const QJsonArray rows = document.isArray() ? document.array() : response.value(QStringLiteral("rows")).toArray();
    try {
        const QList<SchemaField> schema = SchemaField::listFromJson(
            response.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")),
            QStringLiteral("fuzz"));
        decodeRows(schema, rows);
    } catch (const ConnectorError &) {
    }
    decodeRows(everyType(), rows);
    checkStrings(document.isArray() ? QJsonValue(document.array()) : QJsonValue(response));
    return 0;
}
