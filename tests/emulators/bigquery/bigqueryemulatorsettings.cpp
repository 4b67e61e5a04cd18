#include "bigquery/bigqueryemulatorsettings.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace tf::emu {

void BigQueryEmulatorSettings::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("streaming-buffer-seconds"),
         QStringLiteral("How long insertAll rows stay in the streaming buffer (default 1800, as at Google)."), QStringLiteral("seconds")},
        {QStringLiteral("query-delay-ms"), QStringLiteral("How long a query job stays jobComplete:false (default 0)."), QStringLiteral("ms")},
        {QStringLiteral("dml-duration-ms"),
         QStringLiteral("How long a mutating DML statement occupies its table's DML queue (default: --query-delay-ms)."), QStringLiteral("ms")},
        {QStringLiteral("data"), QStringLiteral("Keep datasets and tables in this SQLite file (default: in memory)."), QStringLiteral("file")},
        {QStringLiteral("token-public-key"),
         QStringLiteral("PEM public key of the service account whose JWTs POST /token accepts; API calls then need its tokens."),
         QStringLiteral("pem-file")},
    });
}

std::optional<BigQueryEmulatorSettings> BigQueryEmulatorSettings::fromOptions(const QCommandLineParser &parser, QString *error)
{
    BigQueryEmulatorSettings settings;
    const auto number = [&](const char *option, double *value) {
        const QString name = QString::fromLatin1(option);
        if (!parser.isSet(name))
            return true;
        bool ok = false;
        *value = parser.value(name).toDouble(&ok);
        if (!ok || *value < 0) {
            *error = QStringLiteral("--%1: '%2' is not a non-negative number").arg(name, parser.value(name));
            return false;
        }
        return true;
    };
    double bufferSeconds = double(settings.streamingBufferMs) / 1000.0;
    double queryDelay = 0;
    double dmlDuration = -1;
    if (!number("streaming-buffer-seconds", &bufferSeconds) || !number("query-delay-ms", &queryDelay)
        || !number("dml-duration-ms", &dmlDuration))
        return std::nullopt;
    settings.streamingBufferMs = qint64(bufferSeconds * 1000.0);
    settings.queryDelayMs = qint64(queryDelay);
    if (dmlDuration >= 0)
        settings.dmlDurationMs = qint64(dmlDuration);
    settings.dataFile = parser.value(QStringLiteral("data"));
    settings.tokenPublicKeyFile = parser.value(QStringLiteral("token-public-key"));
    if (!settings.tokenPublicKeyFile.isEmpty() && !QFileInfo(settings.tokenPublicKeyFile).isReadable()) {
        *error = QStringLiteral("--token-public-key: cannot read %1").arg(settings.tokenPublicKeyFile);
        return std::nullopt;
    }
    return settings;
}

} // namespace tf::emu
