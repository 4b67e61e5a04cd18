#include "support/tfsynccli.h"

#include <QElapsedTimer>
#include <QJsonDocument>

namespace tf::test {

QString TfSyncRun::transcript() const
{
    return QStringLiteral("tfsync %1 → exit %2 after %3 ms\n--- stdout\n%4--- stderr\n%5")
        .arg(arguments.join(QLatin1Char(' ')))
        .arg(exitCode)
        .arg(elapsedMs)
        .arg(out, err);
}

TfSyncCli::TfSyncCli(QString configPath, QTextStream &log)
    : m_configPath(std::move(configPath))
    , m_log(log)
{
}

QString TfSyncCli::program()
{
    return qEnvironmentVariable("TF_BINARY_DIR") + QStringLiteral("/src/cli/tfsync");
}

std::unique_ptr<QProcess> TfSyncCli::start(const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    process->start(program(), QStringList{QStringLiteral("--config"), m_configPath} + arguments);
    return process;
}

TfSyncRun TfSyncCli::run(const QStringList &arguments, int timeoutMs)
{
    TfSyncRun result;
    result.arguments = arguments;
    QElapsedTimer timer;
    timer.start();
    const std::unique_ptr<QProcess> process = start(arguments);
    const bool finished = process->waitForFinished(timeoutMs);
    if (!finished) {
        process->kill();
        process->waitForFinished(10000);
    }
    result.elapsedMs = timer.elapsed();
    result.exitCode = finished && process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
    result.out = QString::fromUtf8(process->readAllStandardOutput());
    result.err = QString::fromUtf8(process->readAllStandardError());
    if (!result.err.isEmpty()) {
        m_log << "[tfsync " << arguments.join(QLatin1Char(' ')) << "] " << result.err;
        m_log.flush();
    }
    return result;
}

QJsonArray TfSyncCli::openConflicts(QString *raw)
{
    const TfSyncRun listed = run({QStringLiteral("conflicts"), QStringLiteral("list"), QStringLiteral("--json")});
    if (raw)
        *raw = listed.out + listed.err;
    return QJsonDocument::fromJson(listed.out.toUtf8()).array();
}

QString TfSyncCli::conflictsText()
{
    const TfSyncRun listed = run({QStringLiteral("conflicts"), QStringLiteral("list")});
    return listed.out + listed.err;
}

QJsonObject TfSyncCli::verify(int *exitCode)
{
    const TfSyncRun verified = run({QStringLiteral("verify"), QStringLiteral("--json")});
    if (exitCode)
        *exitCode = verified.exitCode;
    return QJsonDocument::fromJson(verified.out.toUtf8()).object();
}

int TfSyncCli::totalSynced()
{
    const TfSyncRun status = run({QStringLiteral("status"), QStringLiteral("--json")});
    return QJsonDocument::fromJson(status.out.toUtf8()).object().value(QStringLiteral("total_synced")).toInt(-1);
}

int TfSyncCli::runUntilQuiet(int maxCycles, QList<TfSyncRun> *runs)
{
    int before = totalSynced();
    for (int cycle = 1; cycle <= maxCycles; ++cycle) {
        const TfSyncRun once = run({QStringLiteral("run"), QStringLiteral("--once")});
        if (runs)
            runs->append(once);
        const int after = totalSynced();
        if ((once.exitCode == 0 || once.exitCode == 1) && before >= 0 && after == before)
            return cycle;
        before = after;
    }
    return -1;
}

} // namespace tf::test
