#include "bigquery/streamingbuffer.h"

#include <algorithm>

namespace tf::emu {

namespace {

constexpr qint64 kMinimumDeduplicationMs = 60 * 1000;

} // namespace

StreamingBuffer::StreamingBuffer(qint64 ageMs)
    : m_ageMs(ageMs)
{
}

void StreamingBuffer::record(const QString &table, qint64 nowMs, qint64 rows, qint64 bytes)
{
    m_batches[table].append(Batch{nowMs, rows, bytes});
}

bool StreamingBuffer::seen(const QString &table, const QString &insertId, qint64 nowMs)
{
    const auto ids = m_insertIds.constFind(table);
    if (ids == m_insertIds.constEnd())
        return false;
    const auto at = ids->constFind(insertId);
    return at != ids->constEnd() && nowMs - *at < std::max(m_ageMs, kMinimumDeduplicationMs);
}

void StreamingBuffer::remember(const QString &table, const QString &insertId, qint64 nowMs)
{
    QHash<QString, qint64> &ids = m_insertIds[table];
    const qint64 window = std::max(m_ageMs, kMinimumDeduplicationMs);
    for (auto it = ids.begin(); it != ids.end();) {
        if (nowMs - *it >= window)
            it = ids.erase(it);
        else
            ++it;
    }
    ids.insert(insertId, nowMs);
}

std::optional<StreamingBuffer::State> StreamingBuffer::state(const QString &table, qint64 nowMs)
{
    QList<Batch> &batches = m_batches[table];
    batches.erase(std::remove_if(batches.begin(), batches.end(), [&](const Batch &b) { return nowMs - b.atMs >= m_ageMs; }),
                  batches.end());
    if (batches.isEmpty())
        return std::nullopt;
    State state;
    state.oldestEntryTime = batches.first().atMs;
    for (const Batch &batch : batches) {
        state.estimatedRows += batch.rows;
        state.estimatedBytes += batch.bytes;
    }
    return state;
}

void StreamingBuffer::flush()
{
    m_batches.clear();
}

void StreamingBuffer::forget(const QString &table)
{
    m_batches.remove(table);
    m_insertIds.remove(table);
}

void StreamingBuffer::clear()
{
    m_batches.clear();
    m_insertIds.clear();
}

} // namespace tf::emu
