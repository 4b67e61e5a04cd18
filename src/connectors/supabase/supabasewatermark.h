#pragma once

#include <QString>

namespace tf {

// Where readChanges stands, as one string the engine stores.
//  - "full:<txid>:<contact_id>": the initial full read, paged by contact_id (keyset), continuing after the id;
//    <txid> is the snapshot xmin taken when the full read began: every change the full read might have missed
//    belongs to a transaction at or above it, so the change log is read from there afterwards.
//  - "log:<txid>:<seq>": the change log, consumed in (txid, seq) order up to and including this entry.
// "" is a fresh full read.
struct SupabaseWatermark {
    enum class Phase { Full, Log };

    Phase phase = Phase::Full;
    quint64 txid = 0;       // 0 = not taken yet (no real xid8 is below 3)
    qint64 seq = 0;         // Log only
    QString afterContactId; // Full only

    QString encode() const;
    // Throws ConnectorError (Configuration) for a string this connector did not write.
    static SupabaseWatermark decode(const QString &text);
};

} // namespace tf
