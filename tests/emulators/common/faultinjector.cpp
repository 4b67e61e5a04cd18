#include "common/faultinjector.h"

#include <QCommandLineParser>
#include <QJsonArray>

namespace tf::emu {

namespace {

const char *kindName(FaultKind kind)
{
    switch (kind) {
    case FaultKind::None:
        return "none";
    case FaultKind::Status:
        return "status";
    case FaultKind::Latency:
        return "latency";
    case FaultKind::Timeout:
        return "timeout";
    case FaultKind::Drop:
        return "drop";
    case FaultKind::LostResponse:
        return "lost-response";
    }
    return "none";
}

FaultKind kindFromName(const QString &name)
{
    for (FaultKind kind : {FaultKind::Status, FaultKind::Latency, FaultKind::Timeout, FaultKind::Drop,
                           FaultKind::LostResponse}) {
        if (name == QLatin1String(kindName(kind)))
            return kind;
    }
    return FaultKind::None;
}

bool matches(const Fault &fault, const HttpRequest &request)
{
    if (!fault.method.isEmpty() && fault.method != request.method)
        return false;
    return fault.pathContains.isEmpty() || request.path.contains(fault.pathContains);
}

} // namespace

FaultInjector::FaultInjector()
    : m_random(m_seed)
{
}

Fault FaultInjector::decide(const HttpRequest &request)
{
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        Queued &queued = m_queue[i];
        if (!matches(queued.fault, request))
            continue;
        Fault fault = queued.fault;
        if (--queued.remaining <= 0)
            m_queue.removeAt(i);
        if (fault.latencyMs == 0)
            fault.latencyMs = m_latencyMs;
        return fault;
    }

    Fault fault;
    fault.latencyMs = m_latencyMs;
    const double roll = m_random.generateDouble();
    double edge = 0;
    const auto hit = [&](double rate) { return rate > 0 && roll < (edge += rate); };
    if (hit(m_rate429))
        fault.kind = FaultKind::Status, fault.status = 429;
    else if (hit(m_rate500))
        fault.kind = FaultKind::Status, fault.status = 500;
    else if (hit(m_rate503))
        fault.kind = FaultKind::Status, fault.status = 503;
    else if (hit(m_rateTimeout))
        fault.kind = FaultKind::Timeout;
    else if (hit(m_rateDrop))
        fault.kind = FaultKind::Drop;
    else if (hit(m_rateLost))
        fault.kind = FaultKind::LostResponse;
    else if (m_latencyMs > 0)
        fault.kind = FaultKind::Latency;
    return fault;
}

void FaultInjector::configure(const QJsonObject &plan)
{
    reset();
    m_rate429 = plan.value(QStringLiteral("rate429")).toDouble();
    m_rate500 = plan.value(QStringLiteral("rate500")).toDouble();
    m_rate503 = plan.value(QStringLiteral("rate503")).toDouble();
    m_rateTimeout = plan.value(QStringLiteral("rateTimeout")).toDouble();
    m_rateDrop = plan.value(QStringLiteral("rateDrop")).toDouble();
    m_rateLost = plan.value(QStringLiteral("rateLostResponse")).toDouble();
    m_latencyMs = plan.value(QStringLiteral("latencyMs")).toInt();
    m_seed = quint32(plan.value(QStringLiteral("seed")).toInt(1));
    m_random.seed(m_seed);
    for (const QJsonValue &value : plan.value(QStringLiteral("next")).toArray()) {
        const QJsonObject entry = value.toObject();
        Queued queued;
        queued.fault.kind = kindFromName(entry.value(QStringLiteral("kind")).toString());
        queued.fault.status = entry.value(QStringLiteral("status")).toInt();
        queued.fault.latencyMs = entry.value(QStringLiteral("latencyMs")).toInt();
        queued.fault.pathContains = entry.value(QStringLiteral("pathContains")).toString();
        queued.fault.method = entry.value(QStringLiteral("method")).toString().toUpper().toLatin1();
        queued.remaining = entry.value(QStringLiteral("count")).toInt(1);
        if (queued.fault.kind != FaultKind::None)
            m_queue.append(queued);
    }
}

QJsonObject FaultInjector::toJson() const
{
    QJsonArray next;
    for (const Queued &queued : m_queue) {
        next.append(QJsonObject{{QStringLiteral("kind"), QString::fromLatin1(kindName(queued.fault.kind))},
                                {QStringLiteral("status"), queued.fault.status},
                                {QStringLiteral("latencyMs"), queued.fault.latencyMs},
                                {QStringLiteral("pathContains"), queued.fault.pathContains},
                                {QStringLiteral("method"), QString::fromLatin1(queued.fault.method)},
                                {QStringLiteral("count"), queued.remaining}});
    }
    return QJsonObject{{QStringLiteral("rate429"), m_rate429},
                       {QStringLiteral("rate500"), m_rate500},
                       {QStringLiteral("rate503"), m_rate503},
                       {QStringLiteral("rateTimeout"), m_rateTimeout},
                       {QStringLiteral("rateDrop"), m_rateDrop},
                       {QStringLiteral("rateLostResponse"), m_rateLost},
                       {QStringLiteral("latencyMs"), m_latencyMs},
                       {QStringLiteral("seed"), int(m_seed)},
                       {QStringLiteral("next"), next}};
}

void FaultInjector::reset()
{
    m_queue.clear();
    m_rate429 = m_rate500 = m_rate503 = m_rateTimeout = m_rateDrop = m_rateLost = 0;
    m_latencyMs = 0;
}

void FaultInjector::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("fault-429-rate"), QStringLiteral("Share of requests answered 429."), QStringLiteral("share")},
        {QStringLiteral("fault-500-rate"), QStringLiteral("Share of requests answered 500."), QStringLiteral("share")},
        {QStringLiteral("fault-503-rate"), QStringLiteral("Share of requests answered 503."), QStringLiteral("share")},
        {QStringLiteral("fault-timeout-rate"), QStringLiteral("Share of requests never answered."), QStringLiteral("share")},
        {QStringLiteral("fault-drop-rate"), QStringLiteral("Share of connections dropped unhandled."), QStringLiteral("share")},
        {QStringLiteral("fault-lost-response-rate"),
         QStringLiteral("Share of requests committed whose response is lost."), QStringLiteral("share")},
        {QStringLiteral("latency-ms"), QStringLiteral("Delay added to every answer."), QStringLiteral("ms")},
        {QStringLiteral("fault-seed"), QStringLiteral("Seed of the fault dice."), QStringLiteral("n")},
    });
}

void FaultInjector::applyOptions(const QCommandLineParser &parser)
{
    QJsonObject plan;
    const auto share = [&](const char *option, const char *key) {
        if (parser.isSet(QString::fromLatin1(option)))
            plan.insert(QString::fromLatin1(key), parser.value(QString::fromLatin1(option)).toDouble());
    };
    share("fault-429-rate", "rate429");
    share("fault-500-rate", "rate500");
    share("fault-503-rate", "rate503");
    share("fault-timeout-rate", "rateTimeout");
    share("fault-drop-rate", "rateDrop");
    share("fault-lost-response-rate", "rateLostResponse");
    if (parser.isSet(QStringLiteral("latency-ms")))
        plan.insert(QStringLiteral("latencyMs"), parser.value(QStringLiteral("latency-ms")).toInt());
    if (parser.isSet(QStringLiteral("fault-seed")))
        plan.insert(QStringLiteral("seed"), parser.value(QStringLiteral("fault-seed")).toInt());
    configure(plan);
}

} // namespace tf::emu
