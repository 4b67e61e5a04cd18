#pragma once

#include <QString>
#include <optional>

namespace tf {

// Where readChanges stands: the (updated_at, contact_id) key of the last row handed out, in the order
// `ORDER BY updated_at, contact_id`. A MERGE stamps every row of a batch with the same CURRENT_TIMESTAMP(), so
// many rows share one updated_at; the contact_id half of the key lets a page end in the middle of them without
// losing or repeating any. updated_at keeps BigQuery's microseconds (a QDateTime would round them to ms and the
// equality half of the keyset would then miss). Rows without updated_at (loaded by something other than this
// writer) sort first (GoogleSQL puts NULLs first in ascending order) and are keyed by contact_id alone.
struct BigQueryWatermark {
    bool atStart = true;                   // "" = from the beginning
    std::optional<qint64> updatedAtMicros; // nullopt after the start: still among the rows without updated_at
    QString contactId;

    // "" at the start, else compact JSON {"updated_at_us": "…" | null, "contact_id": "…"}.
    QString encode() const;
    // Throws ConnectorError (Configuration) for a string this connector did not write.
    static BigQueryWatermark decode(const QString &text);
    static BigQueryWatermark after(std::optional<qint64> updatedAtMicros, const QString &contactId);
};

} // namespace tf
