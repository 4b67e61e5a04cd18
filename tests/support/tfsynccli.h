#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>
#include <memory>

namespace tf::test {

// What one `tfsync` invocation did.
struct TfSyncRun {
    QStringList arguments;
    int exitCode = -1; // -1: it did not finish in time (it was killed then)
    QString out;       // stdout alone: the answer (JSON with --json)
    QString err;       // warnings and errors
    qint64 elapsedMs = 0;

    QString transcript() const; // "tfsync ARGS → exit N" + both streams, for failure messages
};

// The real `tfsync` binary ($TF_BINARY_DIR/src/cli/tfsync) run as a child process against one config file, the way
// a person or a service manager runs it. Children inherit the environment (TF_TWENTY_API_KEY, TF_SUPABASE_PASSWORD).
class TfSyncCli {
public:
    TfSyncCli(QString configPath, QTextStream &log);

    static QString program();

    // Runs to completion (or `timeoutMs`, then SIGKILL). stderr is copied to the log.
    TfSyncRun run(const QStringList &arguments, int timeoutMs = 300000);
    // Starts a child the caller may kill at any moment (QProcess::kill is SIGKILL on Unix) or wait for.
    std::unique_ptr<QProcess> start(const QStringList &arguments);

    // `tfsync conflicts list --json`: the open conflicts ({id, contact_id, field, values, base}); `raw` receives the
    // whole output (the plain listing too, with `text`) for checks on wording such as "duplicate".
    QJsonArray openConflicts(QString *raw = nullptr);
    QString conflictsText();
    // `tfsync verify --json`: the report; `exitCode` receives 0 consistent, 1 differences, 2 failure.
    QJsonObject verify(int *exitCode = nullptr);
    // `status --json`'s total_synced: writes of every finished cycle so far.
    int totalSynced();
    // `run --once` until a cycle finishes cleanly (exit 0 or 1) having written nothing, at most `maxCycles` times.
    // Returns how many cycles ran, or -1 when none was quiet; `runs` receives each one.
    int runUntilQuiet(int maxCycles, QList<TfSyncRun> *runs = nullptr);

private:
    QString m_configPath;
    QTextStream &m_log;
};

} // namespace tf::test
