#pragma once

#include "connectors/syncsession.h"
#include "core/consistencyverifier.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace tf {

// The `tfsync` commands (DESIGN.md "CLI"): each one a thin reading of the engine for a terminal.
// Exit codes: 0 success, 1 works but not clean (as each command states), 2 failure, 64 usage.
class CliCommands
{
public:
    enum Exit { Ok = 0, NotClean = 1, Failure = 2, Usage = 64 };

    CliCommands(QString configPath, QTextStream &out, QTextStream &err);

    int run(const QString &command, const QStringList &arguments);

private:
    int provision();
    int check(const QStringList &arguments);
    int initial(const QStringList &arguments);
    int runScheduler(const QStringList &arguments);
    int push(const QStringList &arguments);
    int verify(const QStringList &arguments);
    int status(const QStringList &arguments);
    int conflicts(const QStringList &arguments);
    int history(const QStringList &arguments);
    int demo(const QStringList &arguments);

    // How a command takes a config with errors: `check` reports them (as UNSAFE), every other command refuses it.
    enum class ConfigErrors { Refuse, Report };
    bool openSession(SyncSession &session, ConfigErrors configErrors = ConfigErrors::Refuse);
    // The safety check (UNSAFE stops it) and this machine's lock, before a command that writes.
    bool prepareToSync(SyncSession &session, const QString &command);
    bool parse(QCommandLineParser &parser, const QString &command, const QStringList &arguments);
    void printCycle(const CycleReport &report);
    void printVerify(const VerifyReport &report);
    int exitFor(const CycleReport &report) const;

    QString m_configPath;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace tf
