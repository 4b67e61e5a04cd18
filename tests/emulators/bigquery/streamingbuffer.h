#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace tf::emu {

// Rows written by tabledata.insertAll stay in a table's streaming buffer for a while (§2.3: up to 30 minutes at
// Google; --streaming-buffer-seconds here). While it holds rows, tables.get shows streamingBuffer and DML that would
// change existing rows fails. insertIds are remembered for de-duplication (§2.1) for the buffer's age, at least a
// minute (BigQuery: "at least one minute").
class StreamingBuffer
{
public:
    explicit StreamingBuffer(qint64 ageMs);

    void setAgeMs(qint64 ageMs) { m_ageMs = ageMs; }
    qint64 ageMs() const { return m_ageMs; }

    void record(const QString &table, qint64 nowMs, qint64 rows, qint64 bytes);
    bool seen(const QString &table, const QString &insertId, qint64 nowMs);
    void remember(const QString &table, const QString &insertId, qint64 nowMs);

    struct State {
        qint64 estimatedRows = 0;
        qint64 estimatedBytes = 0;
        qint64 oldestEntryTime = 0; // ms since the epoch
    };
    std::optional<State> state(const QString &table, qint64 nowMs);

    void flush();                       // every buffered row reaches storage now
    void forget(const QString &table);  // the table was deleted
    void clear();

private:
    struct Batch {
        qint64 atMs;
        qint64 rows;
        qint64 bytes;
    };
    qint64 m_ageMs;
    QHash<QString, QList<Batch>> m_batches;
    QHash<QString, QHash<QString, qint64>> m_insertIds; // table → insertId → when
};

} // namespace tf::emu
