#include "common/emulatorserver.h"
#include "twenty/emulatorsettings.h"
#include "twenty/twentyemulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

// tf-twenty-emulator --port N --api-key [NAME=]KEY [...]: a stand-in for Twenty CRM's REST API on 127.0.0.1.
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tf-twenty-emulator"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A local stand-in for Twenty CRM's REST API (specs/twenty-rest.md)."));
    parser.addHelpOption();
    tf::emu::EmulatorServer::addCommonOptions(parser);
    tf::emu::EmulatorSettings::addOptions(parser);
    parser.process(app);

    QString error;
    const std::optional<tf::emu::EmulatorSettings> settings = tf::emu::EmulatorSettings::fromOptions(parser, &error);
    if (!settings) {
        QTextStream(stderr) << error << Qt::endl;
        return 64;
    }
    if (settings->apiKeys.isEmpty()) {
        QTextStream(stderr) << "at least one --api-key is needed: Twenty answers every request without one 401" << Qt::endl;
        return 64;
    }
    tf::emu::TwentyEmulator emulator(*settings);
    if (!emulator.loadData(&error)) {
        QTextStream(stderr) << error << Qt::endl;
        return 2;
    }
    tf::emu::EmulatorServer server([&](const tf::emu::HttpRequest &request) { return emulator.handle(request); },
                                   [&](int status) { return emulator.injectedError(status); });
    if (!server.startFromOptions(parser))
        return 2;
    return app.exec();
}
