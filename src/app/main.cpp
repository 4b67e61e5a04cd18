#include "app/appcontroller.h"
#include "app/statusicon.h"
#include "core/syncconfig.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("truthforge-sync"));
    QApplication::setApplicationDisplayName(QStringLiteral("Truth Forge Sync"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("truthforge-sync"));
    QApplication::setWindowIcon(tf::StatusIcon::application());
    // The sync keeps running in the tray when the window closes; Quit is explicit.
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Keeps contacts in sync across BigQuery, Twenty CRM, Supabase and a local SQLite file."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("The config file (default %1).").arg(tf::SyncConfig::defaultPath()),
                                    QStringLiteral("FILE"));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Start local stand-ins for every layer, seed contacts and sync them."));
    const QCommandLineOption minimized(QStringLiteral("minimized"), QStringLiteral("Start in the system tray without opening the window."));
    parser.addOptions({config, demo, minimized});
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        fprintf(stderr, "truthforge-sync: unexpected argument '%s'\n", qPrintable(parser.positionalArguments().first()));
        return 64;
    }

    tf::AppController::Options options;
    options.configPath = parser.isSet(config) ? parser.value(config) : tf::SyncConfig::defaultPath();
    options.demo = parser.isSet(demo);
    options.minimized = parser.isSet(minimized);
    tf::AppController controller(options);
    controller.start();
    return QApplication::exec();
}
