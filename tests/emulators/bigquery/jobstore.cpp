#include "bigquery/jobstore.h"

#include <algorithm>

namespace tf::emu {

namespace {

constexpr qint64 kRequestIdLifetimeMs = 15 * 60 * 1000;
constexpr qint64 kJobLifetimeMs = 24 * 60 * 60 * 1000;
constexpr qsizetype kMaxJobs = 20000;

QString key(const QString &project, const QString &id)
{
    return project + QLatin1Char('/') + id;
}

} // namespace

QueryJob &JobStore::add(QueryJob job)
{
    job.sequence = ++m_sequence;
    auto stored = std::make_shared<QueryJob>(std::move(job));
    m_jobs.insert(key(stored->project, stored->jobId), stored);
    return *stored;
}

QueryJob *JobStore::find(const QString &project, const QString &jobId)
{
    const auto found = m_jobs.constFind(key(project, jobId));
    return found == m_jobs.constEnd() ? nullptr : found->get();
}

QueryJob *JobStore::byRequestId(const QString &project, const QString &requestId, qint64 nowMs)
{
    const auto found = m_requests.constFind(key(project, requestId));
    if (found == m_requests.constEnd() || nowMs - found->atMs > kRequestIdLifetimeMs)
        return nullptr;
    return find(project, found->jobId);
}

void JobStore::rememberRequest(const QString &project, const QString &requestId, const QString &jobId, qint64 nowMs)
{
    m_requests.insert(key(project, requestId), Request{jobId, nowMs});
}

QList<QueryJob *> JobStore::due(qint64 nowMs)
{
    QList<QueryJob *> jobs;
    for (const std::shared_ptr<QueryJob> &job : std::as_const(m_jobs)) {
        if (!job->done && job->readyAtMs <= nowMs)
            jobs.append(job.get());
    }
    std::sort(jobs.begin(), jobs.end(), [](const QueryJob *a, const QueryJob *b) {
        return a->readyAtMs != b->readyAtMs ? a->readyAtMs < b->readyAtMs : a->sequence < b->sequence;
    });
    return jobs;
}

std::optional<qint64> JobStore::nextReadyAt() const
{
    std::optional<qint64> next;
    for (const std::shared_ptr<QueryJob> &job : m_jobs) {
        if (!job->done && (!next || job->readyAtMs < *next))
            next = job->readyAtMs;
    }
    return next;
}

void JobStore::expire(qint64 nowMs)
{
    for (auto it = m_requests.begin(); it != m_requests.end();) {
        if (nowMs - it->atMs > kRequestIdLifetimeMs)
            it = m_requests.erase(it);
        else
            ++it;
    }
    QList<std::shared_ptr<QueryJob>> finished;
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if ((*it)->done && nowMs - (*it)->endedMs > kJobLifetimeMs) {
            it = m_jobs.erase(it);
            continue;
        }
        if ((*it)->done)
            finished.append(*it);
        ++it;
    }
    if (finished.size() <= kMaxJobs)
        return;
    std::sort(finished.begin(), finished.end(), [](const auto &a, const auto &b) { return a->sequence < b->sequence; });
    for (qsizetype i = 0; i < finished.size() - kMaxJobs; ++i)
        m_jobs.remove(key(finished.at(i)->project, finished.at(i)->jobId));
}

void JobStore::clear()
{
    m_jobs.clear();
    m_requests.clear();
}

} // namespace tf::emu
