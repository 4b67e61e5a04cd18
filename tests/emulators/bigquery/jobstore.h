#pragma once

#include "bigquery/queryjob.h"

#include <QHash>
#include <QList>
#include <memory>

namespace tf::emu {

// The jobs the emulator knows and the requestIds it has seen. A requestId maps to its first job for 15 minutes
// (§1.1, §5.4.7), so a repeated jobs.query returns the first result and never runs the statement twice. Finished jobs
// are kept for a day, as BigQuery keeps query results, and at most kMaxJobs of them.
class JobStore
{
public:
    QueryJob &add(QueryJob job);
    QueryJob *find(const QString &project, const QString &jobId);
    QueryJob *byRequestId(const QString &project, const QString &requestId, qint64 nowMs);
    void rememberRequest(const QString &project, const QString &requestId, const QString &jobId, qint64 nowMs);

    // Jobs not yet run whose time has come, in the order they are due.
    QList<QueryJob *> due(qint64 nowMs);
    std::optional<qint64> nextReadyAt() const;
    void expire(qint64 nowMs);
    void clear();

private:
    struct Request {
        QString jobId;
        qint64 atMs = 0;
    };
    QHash<QString, std::shared_ptr<QueryJob>> m_jobs; // "project/jobId"
    QHash<QString, Request> m_requests;               // "project/requestId"
    qint64 m_sequence = 0;
};

} // namespace tf::emu
