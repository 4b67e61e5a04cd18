#include "cli/clicommands.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace {

const char *kUsage = R"(usage: tfsync [--config FILE] COMMAND [OPTIONS]

commands:
  provision                     create what is missing in every configured layer
  check [--json]                the safety check (exit 0 SAFE, 1 SAFE_WITH_WARNINGS, 2 UNSAFE)
  initial [--dry-run]           full sync from the canonical layer to all others
  run [--once] [--interval S] [--batch-size N] [--allow-mass-delete]
  push --source bigquery|crm|supabase|local|all [--contact-id ID] [--verify] [--dry-run]
  verify [--contact-id ID] [--json]   compare layers field by field (exit 1 on differences)
  status [--json]
  conflicts list | conflicts resolve ID --take LAYER
  history [--contact-id ID] [--limit N] [--json]
  demo [--contacts N] [--keep]  local stand-ins, a throwaway Postgres, seed, sync, report
)";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tfsync"));
    QCoreApplication::setOrganizationName(QStringLiteral("truthforge"));
    // Progress notes stay quiet on a terminal unless asked for (QT_LOGGING_RULES="truthforge.*.info=true").
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("truthforge.*.debug=false\ntruthforge.*.info=false"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    // The global option comes before the command; everything after the command belongs to it.
    QStringList arguments = QCoreApplication::arguments().mid(1);
    QString configPath = tf::SyncConfig::defaultPath();
    while (!arguments.isEmpty() && arguments.first().startsWith(QLatin1String("--"))) {
        const QString option = arguments.takeFirst();
        if (option == QLatin1String("--config") && !arguments.isEmpty()) {
            configPath = arguments.takeFirst();
        } else if (option.startsWith(QLatin1String("--config="))) {
            configPath = option.mid(9);
        } else if (option == QLatin1String("--help")) {
            out << kUsage;
            return 0;
        } else {
            err << "tfsync: unknown option " << option << "\n" << kUsage;
            return tf::CliCommands::Usage;
        }
    }
    if (arguments.isEmpty()) {
        err << kUsage;
        return tf::CliCommands::Usage;
    }
    const QString command = arguments.takeFirst();
    tf::CliCommands commands(configPath, out, err);
    const int code = commands.run(command, arguments);
    out.flush();
    err.flush();
    return code;
}
