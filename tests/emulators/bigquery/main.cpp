#include "bigquery/bigqueryemulator.h"
#include "common/emulatorserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

// tf-bigquery-emulator --port N: a stand-in for BigQuery's REST API v2 on 127.0.0.1 (specs/bigquery-rest.md).
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tf-bigquery-emulator"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A local stand-in for BigQuery's REST API v2 (specs/bigquery-rest.md)."));
    parser.addHelpOption();
    tf::emu::EmulatorServer::addCommonOptions(parser);
    tf::emu::BigQueryEmulatorSettings::addOptions(parser);
    parser.process(app);

    QString error;
    const std::optional<tf::emu::BigQueryEmulatorSettings> settings = tf::emu::BigQueryEmulatorSettings::fromOptions(parser, &error);
    if (!settings) {
        QTextStream(stderr) << error << Qt::endl;
        return 64;
    }
    tf::emu::BigQueryEmulator emulator(*settings);
    if (!emulator.open(&error)) {
        QTextStream(stderr) << error << Qt::endl;
        return 2;
    }
    tf::emu::EmulatorServer server([&](const tf::emu::HttpRequest &request) { return emulator.handle(request); },
                                   [&](int status) { return emulator.injectedError(status); });
    if (!server.startFromOptions(parser))
        return 2;
    return app.exec();
}
