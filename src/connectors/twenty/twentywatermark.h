#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

namespace tf {

// Where one change stream of Twenty's people stands: live rows ordered by updatedAt, trashed rows by deletedAt
// (soft-deleted rows are hidden from the first, §2.1). A scan pages forward from `from` with cursors; when it
// ends, the next scan starts `overlapMs` before the newest change seen, because Twenty stamps updatedAt at the
// start of a transaction (ms precision, several rows may share it) and a slow transaction can commit a row
// stamped before rows already read (§9 #19). The versions already reported inside that overlap are remembered
// as (person id, ms) and skipped, so the overlap never re-reports an unchanged row.
struct TwentyStream {
    QDateTime from;              // the current scan's inclusive lower bound; invalid = the beginning
    QString cursor;              // endCursor reached inside the current scan; "" = at its start
    QHash<QString, qint64> seen; // person id → ms of the version reported, within the overlap window

    bool reportedAlready(const QString &personId, const QDateTime &stamp) const;
    void report(const QString &personId, const QDateTime &stamp, qint64 overlapMs);
    void finishScan(qint64 overlapMs);
};

// The watermark of readChanges: both streams in one string (compact JSON). "" is the beginning of both, i.e.
// every person, soft-deleted ones included.
struct TwentyWatermark {
    TwentyStream updated;
    TwentyStream deleted;

    QString encode() const;
    // Throws ConnectorError (Configuration) for a string this connector did not write.
    static TwentyWatermark decode(const QString &text);
};

} // namespace tf
