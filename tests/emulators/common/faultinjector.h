#pragma once

#include "common/httpmessage.h"

#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>

class QCommandLineParser;

namespace tf::emu {

// What can go wrong with a request, as seen by a client.
enum class FaultKind {
    None,
    Status,       // answer with an HTTP error (429, 500, 503, ...) in the service's own error format
    Latency,      // answer correctly, but late
    Timeout,      // accept the request and never answer
    Drop,         // close the connection without handling the request
    LostResponse, // handle (commit) the request, then close the connection without answering
};

struct Fault {
    FaultKind kind = FaultKind::None;
    int status = 0;     // for Status
    int latencyMs = 0;  // for Latency (also added before any other outcome when the plan has latency)
    QString pathContains; // only requests whose path contains this; empty = all
    QByteArray method;    // only this method; empty = all
};

// Decides the fate of each request. Two ways to ask for trouble, both settable on the command line and through
// the admin endpoint: a queue of one-shot faults ("the next 3 POSTs get 503"), which makes tests deterministic,
// and shares of requests (seeded), which drive soak runs.
class FaultInjector
{
public:
    FaultInjector();

    Fault decide(const HttpRequest &request);

    void configure(const QJsonObject &plan); // replaces the plan; see toJson() for the shape
    QJsonObject toJson() const;
    void reset();

    static void addOptions(QCommandLineParser &parser);
    void applyOptions(const QCommandLineParser &parser);

private:
    struct Queued {
        Fault fault;
        int remaining = 1;
    };
    QList<Queued> m_queue;
    double m_rate429 = 0, m_rate500 = 0, m_rate503 = 0, m_rateTimeout = 0, m_rateDrop = 0, m_rateLost = 0;
    int m_latencyMs = 0;
    quint32 m_seed = 1;
    QRandomGenerator m_random;
};

} // namespace tf::emu
