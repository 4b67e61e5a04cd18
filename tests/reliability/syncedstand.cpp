#include "reliability/syncedstand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <algorithm>

namespace tf::test {

void quietInProcessLogging()
{
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("truthforge.*.debug=false\ntruthforge.*.info=false"));
}

SyncedStand::SyncedStand(QTextStream &log)
    : m_log(log)
    , m_demo(log)
{
}

SyncedStand::~SyncedStand() = default;

void SyncedStand::setPolicy(ConflictPolicy policy)
{
    SyncConfig changed = config();
    changed.sync.conflictPolicy = policy;
    changed.save(configPath());
}

QString SyncedStand::start(int contacts, ConflictPolicy policy)
{
    if (QString error = m_demo.start(); !error.isEmpty())
        return error;
    m_twenty = EmulatorAdmin(m_demo.twentyUrl());
    m_bigquery = EmulatorAdmin(m_demo.bigqueryUrl());
    setPolicy(policy);
    {
        // Provisioning and seeding go through our connectors in this process; everything after is the binary's.
        SyncSession session(configPath());
        QString error;
        if (!session.open(&error))
            return error;
        if (!session.connectorErrors().isEmpty())
            return session.connectorErrors().values().join(QLatin1Char('\n'));
        QMap<Layer, QString> failures;
        session.provision(&failures);
        if (!failures.isEmpty())
            return failures.values().join(QLatin1Char('\n'));
        if (QString seeded = m_demo.seed(session, contacts); !seeded.isEmpty())
            return seeded;
    }
    const SyncConfig settings = config();
    m_editor = std::make_unique<OutsideEditor>(settings, m_demo.postgresPassword(), DemoStand::twentyApiKey());
    m_reader = std::make_unique<LayerReader>(settings, m_demo.postgresPassword(), DemoStand::twentyApiKey());
    m_cli = std::make_unique<TfSyncCli>(configPath(), m_log);
    const TfSyncRun initial = m_cli->run({QStringLiteral("initial")});
    if (initial.exitCode != 0)
        return QStringLiteral("tfsync initial failed:\n") + initial.transcript();
    QList<TfSyncRun> runs;
    if (m_cli->runUntilQuiet(5, &runs) < 0)
        return QStringLiteral("no quiet cycle after tfsync initial:\n") + runs.last().transcript();
    const LayerSnapshot canonical = m_reader->read(Layer::BigQuery, {});
    if (!canonical.error.isEmpty())
        return canonical.error;
    for (const LayerRow &row : canonical.rows)
        m_ids.append(row.contactId);
    std::sort(m_ids.begin(), m_ids.end());
    if (m_ids.size() != contacts)
        return QStringLiteral("bigquery holds %1 contacts after seeding %2").arg(m_ids.size()).arg(contacts);
    return {};
}

void SyncedStand::slowWrites(int twentyWriteMs, int bigqueryDmlMs)
{
    QJsonObject plan;
    if (twentyWriteMs > 0) {
        plan.insert(QStringLiteral("next"),
                    QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("latency")},
                                           {QStringLiteral("latencyMs"), twentyWriteMs},
                                           {QStringLiteral("method"), QStringLiteral("POST")},
                                           {QStringLiteral("pathContains"), QStringLiteral("/rest/batch/people")},
                                           {QStringLiteral("count"), 1000000000}}});
    }
    m_twenty.setFaults(plan);
    m_bigquery.call("POST", QStringLiteral("query-delay"),
                    QJsonObject{{QStringLiteral("ms"), 0},
                                {QStringLiteral("dmlDurationMs"),
                                 bigqueryDmlMs > 0 ? QJsonValue(bigqueryDmlMs) : QJsonValue(QJsonValue::Null)}});
}

void SyncedStand::calm()
{
    slowWrites(0, 0);
    m_bigquery.setFaults({});
    m_twenty.clearRequests();
    m_bigquery.clearRequests();
}

QString SyncedStand::recordBaselines(EditLog &log, const QStringList &fields)
{
    const LayerSnapshot canonical = m_reader->read(kCanonicalLayer, fields);
    for (const LayerRow &row : canonical.rows) {
        for (const QString &field : fields)
            log.recordBaseline(row.contactId, field, row.values.value(field));
    }
    return canonical.error;
}

namespace {

QStringList fieldsOf(const EditLog &log)
{
    QStringList fields;
    for (const QString &key : log.baselineKeys() + log.editedKeys())
        fields.append(key.section(QLatin1Char('|'), 1));
    fields.removeDuplicates();
    return fields;
}

// `verify --json` differences that no open conflict explains. A contact with an open conflict waits whole for a
// person, so every difference of it is explained.
QStringList unexplainedDifferences(const QJsonObject &verified, const QJsonArray &openConflicts)
{
    QSet<QString> held;
    for (const QJsonValue &conflict : openConflicts)
        held.insert(conflict[QStringLiteral("contact_id")].toString());
    QStringList unexplained;
    for (const QJsonValue &contact : verified.value(QStringLiteral("contacts")).toArray()) {
        const QString id = contact[QStringLiteral("contact_id")].toString();
        if (held.contains(id))
            continue;
        for (const QJsonValue &difference : contact[QStringLiteral("differences")].toArray()) {
            const QString field = difference[QStringLiteral("field")].toString();
            unexplained << QStringLiteral("%1 %2: %3")
                               .arg(id, field,
                                    QString::fromUtf8(QJsonDocument(difference[QStringLiteral("values")].toObject())
                                                          .toJson(QJsonDocument::Compact)));
        }
    }
    return unexplained;
}

} // namespace

QString SyncedStand::checkHistory(const EditLog &log, int kills, const QString &heading, bool *ok,
                                  HistoryChecker::Counts *counts, const QJsonArray &twentyRequests)
{
    const QMap<Layer, LayerSnapshot> layers = m_reader->readAll(fieldsOf(log));
    const QJsonArray open = m_cli->openConflicts();
    HistoryChecker checker(log, config().sync.conflictPolicy);
    checker.setTwentyRequestLog(twentyRequests);
    checker.check(layers, open, m_ids);
    if (counts)
        *counts = checker.counts();
    int verifyExit = -1;
    const QJsonObject verified = m_cli->verify(&verifyExit);
    const QStringList unexplained = unexplainedDifferences(verified, open);
    const bool verifyOk = (verifyExit == 0 || verifyExit == 1) && verified.contains(QStringLiteral("consistent"))
        && unexplained.isEmpty();
    QString text = checker.summary(kills, heading);
    text += QStringLiteral("  %1 %2  %3\n")
                .arg(QStringLiteral("open conflicts"), -34)
                .arg(open.size(), 6)
                .arg(QString());
    text += QStringLiteral("  tfsync verify --json: exit %1, consistent %2, %3 differences no open conflict explains\n")
                .arg(verifyExit)
                .arg(verified.value(QStringLiteral("consistent")).toBool() ? QStringLiteral("true")
                                                                           : QStringLiteral("false"))
                .arg(unexplained.size());
    const QStringList failures = checker.failures();
    for (const QString &failure : failures)
        text += failure + QLatin1Char('\n');
    for (const QString &note : checker.notes())
        text += note;
    for (const QString &difference : unexplained.mid(0, 20))
        text += QStringLiteral("VERIFY: %1\n").arg(difference);
    for (const QString &id : checker.lostContactIds().mid(0, 5)) {
        const TfSyncRun history = m_cli->run({QStringLiteral("history"), QStringLiteral("--contact-id"), id,
                                              QStringLiteral("--limit"), QStringLiteral("30")});
        text += QStringLiteral("tfsync history --contact-id %1:\n%2").arg(id, history.out);
    }
    *ok = checker.passed() && verifyOk;
    return text;
}

} // namespace tf::test
