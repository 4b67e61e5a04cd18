#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

class QCommandLineParser;

namespace tf::emu {

// One token bucket's size: `limit` tokens refilled continuously over `windowMs` (twenty-rest.md §6).
struct RateWindow {
    int limit = 100;
    qint64 windowMs = 1000;
};

enum class RateLimitStyle { New, Legacy }; // §5: usage-limit 429 with Retry-After, or the throttler's HttpException
enum class DeleteDefault { Destroy, Soft }; // §3.4: what a DELETE without ?soft_delete=true does
enum class EmptyText { Empty, Null };       // §4.3: how "" is stored and returned for text

struct ApiKeySpec {
    QString name;     // createdBy.name of what the key writes
    QByteArray token; // the Bearer value
};

// The stand-in's configurables (§10), defaults as in the current Twenty code.
struct EmulatorSettings {
    QList<ApiKeySpec> apiKeys;
    int defaultLimit = 60;
    int maxLimit = 200;
    int batchMax = 60;
    RateWindow shortWindow{100, 1000};
    RateWindow longWindow{100, 60000};
    RateLimitStyle rateLimitStyle = RateLimitStyle::New;
    DeleteDefault deleteDefault = DeleteDefault::Destroy;
    EmptyText emptyText = EmptyText::Null;
    QString dataFile; // empty: in memory only

    static void addOptions(QCommandLineParser &parser);
    // The settings the command line asks for; nullopt and *error when an option is malformed.
    static std::optional<EmulatorSettings> fromOptions(const QCommandLineParser &parser, QString *error);
};

} // namespace tf::emu
