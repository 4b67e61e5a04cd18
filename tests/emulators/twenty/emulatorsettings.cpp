#include "twenty/emulatorsettings.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace tf::emu {

namespace {

bool parsePositive(const QString &text, int *value)
{
    bool ok = false;
    const int parsed = text.toInt(&ok);
    if (!ok || parsed <= 0)
        return false;
    *value = parsed;
    return true;
}

bool parseWindow(const QString &text, RateWindow *window)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)/(\\d+)$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return false;
    const int limit = match.captured(1).toInt();
    const qint64 windowMs = match.captured(2).toLongLong();
    if (limit <= 0 || windowMs <= 0)
        return false;
    *window = RateWindow{limit, windowMs};
    return true;
}

template<typename Enum>
bool parseChoice(const QString &text, const QList<QPair<QString, Enum>> &choices, Enum *value)
{
    for (const auto &[name, choice] : choices) {
        if (text == name) {
            *value = choice;
            return true;
        }
    }
    return false;
}

} // namespace

void EmulatorSettings::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("api-key"),
         QStringLiteral("An accepted API key, KEY or NAME=KEY (NAME goes into createdBy.name); repeatable."),
         QStringLiteral("key")},
        {QStringLiteral("default-limit"), QStringLiteral("Page size without ?limit (60)."), QStringLiteral("n")},
        {QStringLiteral("max-limit"), QStringLiteral("Largest page; larger limits are clamped (200)."),
         QStringLiteral("n")},
        {QStringLiteral("batch-max"), QStringLiteral("Most records per POST /rest/batch/... (60)."), QStringLiteral("n")},
        {QStringLiteral("rate-short"), QStringLiteral("Short token bucket per workspace, LIMIT/MS (100/1000)."),
         QStringLiteral("limit/ms")},
        {QStringLiteral("rate-long"), QStringLiteral("Long token bucket per workspace, LIMIT/MS (100/60000)."),
         QStringLiteral("limit/ms")},
        {QStringLiteral("rate-limit-style"), QStringLiteral("429 answers: new (Retry-After, X-RateLimit-*) or legacy."),
         QStringLiteral("new|legacy")},
        {QStringLiteral("delete-default"),
         QStringLiteral("DELETE without ?soft_delete=true: destroy (current) or soft (legacy)."),
         QStringLiteral("destroy|soft")},
        {QStringLiteral("empty-text"), QStringLiteral("How \"\" text is stored: null (current) or empty (older)."),
         QStringLiteral("empty|null")},
        {QStringLiteral("data"), QStringLiteral("Keep the workspace in this JSON file (default: memory only)."),
         QStringLiteral("file")},
    });
}

std::optional<EmulatorSettings> EmulatorSettings::fromOptions(const QCommandLineParser &parser, QString *error)
{
    EmulatorSettings settings;
    const auto fail = [&](const QString &option, const QString &expected) {
        *error = QStringLiteral("--%1: '%2' is not %3").arg(option, parser.value(option), expected);
        return std::nullopt;
    };
    for (const QString &value : parser.values(QStringLiteral("api-key"))) {
        const qsizetype equals = value.indexOf(QLatin1Char('='));
        ApiKeySpec key;
        key.name = equals > 0 ? value.left(equals) : QStringLiteral("API Key");
        key.token = (equals > 0 ? value.mid(equals + 1) : value).toUtf8();
        if (key.token.isEmpty()) {
            *error = QStringLiteral("--api-key: '%1' has an empty key").arg(value);
            return std::nullopt;
        }
        settings.apiKeys.append(key);
    }
    const QList<QPair<QString, int *>> counts{{QStringLiteral("default-limit"), &settings.defaultLimit},
                                              {QStringLiteral("max-limit"), &settings.maxLimit},
                                              {QStringLiteral("batch-max"), &settings.batchMax}};
    for (const auto &[option, target] : counts) {
        if (parser.isSet(option) && !parsePositive(parser.value(option), target))
            return fail(option, QStringLiteral("a positive integer"));
    }
    if (parser.isSet(QStringLiteral("rate-short")) && !parseWindow(parser.value(QStringLiteral("rate-short")), &settings.shortWindow))
        return fail(QStringLiteral("rate-short"), QStringLiteral("LIMIT/MS"));
    if (parser.isSet(QStringLiteral("rate-long")) && !parseWindow(parser.value(QStringLiteral("rate-long")), &settings.longWindow))
        return fail(QStringLiteral("rate-long"), QStringLiteral("LIMIT/MS"));
    if (parser.isSet(QStringLiteral("rate-limit-style"))
        && !parseChoice<RateLimitStyle>(parser.value(QStringLiteral("rate-limit-style")),
                                        {{QStringLiteral("new"), RateLimitStyle::New},
                                         {QStringLiteral("legacy"), RateLimitStyle::Legacy}},
                                        &settings.rateLimitStyle)) {
        return fail(QStringLiteral("rate-limit-style"), QStringLiteral("new or legacy"));
    }
    if (parser.isSet(QStringLiteral("delete-default"))
        && !parseChoice<DeleteDefault>(parser.value(QStringLiteral("delete-default")),
                                       {{QStringLiteral("destroy"), DeleteDefault::Destroy},
                                        {QStringLiteral("soft"), DeleteDefault::Soft}},
                                       &settings.deleteDefault)) {
        return fail(QStringLiteral("delete-default"), QStringLiteral("destroy or soft"));
    }
    if (parser.isSet(QStringLiteral("empty-text"))
        && !parseChoice<EmptyText>(parser.value(QStringLiteral("empty-text")),
                                   {{QStringLiteral("empty"), EmptyText::Empty}, {QStringLiteral("null"), EmptyText::Null}},
                                   &settings.emptyText)) {
        return fail(QStringLiteral("empty-text"), QStringLiteral("empty or null"));
    }
    settings.dataFile = parser.value(QStringLiteral("data"));
    return settings;
}

} // namespace tf::emu
