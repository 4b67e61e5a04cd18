#pragma once

#include "bigquery/sqltype.h"

#include <QString>
#include <QVariant>
#include <optional>

namespace tf::emu {

// The scalar values of GoogleSQL in the emulator's storage form, and their text forms.
//
// Storage form (what SQLite holds and what flows through the engine):
//   INT64, BOOL (0/1), TIMESTAMP (microseconds since the epoch)    qlonglong
//   FLOAT64                                                        double
//   NUMERIC, BIGNUMERIC   a sortable key: 'p' or 'n' + 40 integer and 38 fraction digits (nines' complement when
//                         negative), so SQLite's text order is numeric order and = is exact
//   DATE "YYYY-MM-DD", DATETIME "YYYY-MM-DDTHH:MM:SS.ffffff", TIME "HH:MM:SS.ffffff" (fixed width: text order is time
//   order), STRING, GEOGRAPHY (WKT), JSON (canonical text: compact, keys sorted)          QString
//   BYTES                                                          QByteArray
//   NULL                                                           an invalid QVariant
class ScalarCodec
{
public:
    // The text a client, a literal or CAST(string AS T) gives; nullopt when malformed or out of range.
    static std::optional<QVariant> parse(TypeKind kind, const QString &text);
    // The cell text of §1.3 (TIMESTAMP: microseconds; CellEncoder chooses the timestamp form).
    static QString cellText(TypeKind kind, const QVariant &storage);
    // CAST(x AS STRING); nullopt for BYTES that are not UTF-8.
    static std::optional<QString> castText(TypeKind kind, const QVariant &storage);

    static std::optional<qint64> parseInt64(const QString &text);
    static std::optional<double> parseFloat(const QString &text);
    static std::optional<qint64> parseTimestamp(const QString &text);
    static std::optional<QString> canonicalJson(const QString &text);
    static std::optional<QString> numericKey(const QString &text, TypeKind kind);
    static QString numericText(const QString &key);
    static double numericValue(const QString &key);

    // Java's Double.toString, which real BigQuery uses for FLOAT64 cells and float-second timestamps ("1.7063136E9").
    static QString javaDouble(double value);
    // Shortest round-trip text in C style ("1e+20", "1.5"), as CAST(FLOAT64 AS STRING) gives.
    static QString shortestDouble(double value);

    static QString timestampIso(qint64 micros, int fractionDigits); // "2024-01-27T00:00:00.000000Z"
    static QString timestampJson(qint64 micros);                    // TO_JSON_STRING: "2024-01-27T00:00:00Z"
    static QString timestampText(qint64 micros);                    // CAST AS STRING: "2024-01-27 00:00:00+00"
    static QString dateFromTimestamp(qint64 micros);
    static QString datetimeFromTimestamp(qint64 micros);

    static qint64 daysFromCivil(qint64 year, int month, int day);
};

} // namespace tf::emu
