#pragma once

#include <QString>
#include <optional>

class QCommandLineParser;

namespace tf::emu {

// The stand-in's configurables; the timings can also be changed at run time through /__emulator/ switches.
struct BigQueryEmulatorSettings {
    qint64 streamingBufferMs = 1800 * 1000; // Google keeps streamed rows in the buffer up to 30 minutes (§2.3)
    qint64 queryDelayMs = 0;                // a query job stays jobComplete:false this long
    std::optional<qint64> dmlDurationMs;    // how long a mutating DML statement runs; default: queryDelayMs
    QString dataFile;                       // empty: in memory
    QString tokenPublicKeyFile;             // set: /token verifies service-account JWTs and API calls need its tokens

    qint64 dmlDuration() const { return dmlDurationMs.value_or(queryDelayMs); }

    static void addOptions(QCommandLineParser &parser);
    static std::optional<BigQueryEmulatorSettings> fromOptions(const QCommandLineParser &parser, QString *error);
};

} // namespace tf::emu
