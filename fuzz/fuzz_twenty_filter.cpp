// Twenty's `filter` parameter as TwentyFilter builds it (twenty-rest.md §2.1), for arbitrary values: one value a
// line, the first line also used as a field name. The grammar has no escapes, so the builder falls back to like
// patterns that may match more rows than asked, never fewer. Checked against the Twenty stand-in's parser and
// record filter (tests/emulators/twenty, a model of Twenty's own): every filter parses, and a person holding a
// value is matched by the filters built for it.
#include "connectors/twenty/twentyfilter.h"
#include "fuzzsupport.h"
#include "twenty/apierror.h"
#include "twenty/filterparser.h"
#include "twenty/recordfilter.h"
#include "twenty/standardobjects.h"

#include <QJsonObject>
#include <QUrl>

using namespace tf;

namespace {

const emu::ObjectSchema &people()
{
    static const emu::ObjectSchema schema = emu::StandardObjects::person(QStringLiteral("2026-01-01T00:00:00.000Z"));
    return schema;
}

// What the stand-in receives: the filter travels percent-encoded as UTF-8 in the query string.
QString sent(const QString &filter)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(QUrl::toPercentEncoding(filter)));
}

emu::RecordFilter parsed(const QString &filter)
{
    try {
        return emu::RecordFilter(emu::FilterParser::parse(sent(filter)), people());
    } catch (const emu::ApiError &error) {
        fuzz::violated(__FILE__, __LINE__, "the filter parses",
                       QStringLiteral("%1\n  refused: %2").arg(filter, error.message()));
    }
}

// A person holding `value` in the text field at `path` ("jobTitle", "name.firstName").
QJsonObject personWith(const QString &path, const QString &value)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    if (parts.size() == 1)
        return QJsonObject{{parts.first(), value}};
    return QJsonObject{{parts.first(), QJsonObject{{parts.last(), value}}}};
}

void checkMatches(const QString &filter, const QString &path, const QString &value)
{
    TF_FUZZ_CHECK(parsed(filter).matches(personWith(path, value)),
                  QStringLiteral("%1 does not match %2 = '%3'").arg(filter, path, value));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QStringList lines = QString::fromUtf8(fuzz::bytes(data, size)).split(QLatin1Char('\n'));
    QStringList values;
    for (const QString &line : lines) {
        if (!line.isEmpty()) // the builders leave empty values out ("" is NULL to Twenty, §4.3)
            values.append(line);
    }

    // Any field name: the builders only concatenate, and must not fail on it.
    TwentyFilter::equals(lines.first(), lines.value(1));
    TwentyFilter::anyOf(lines.first(), lines);
    TwentyFilter::anyOfChunked({{lines.first(), lines}});
    if (values.isEmpty())
        return 0;

    const QString jobTitle = QStringLiteral("jobTitle");
    const QString firstName = QStringLiteral("name.firstName");
    for (const QString &value : values) {
        checkMatches(TwentyFilter::equals(jobTitle, value), jobTitle, value);
        checkMatches(TwentyFilter::includingDeleted(TwentyFilter::equals(jobTitle, value)), jobTitle, value);
    }
    const QString any = TwentyFilter::anyOf(firstName, values);
    for (const QString &value : values)
        checkMatches(any, firstName, value);

    // Chunked to fit a request line: every chunk within the budget, and each value matched by some chunk.
    constexpr int budget = 600;
    const QStringList chunks = TwentyFilter::anyOfChunked({{jobTitle, values}, {firstName, values}}, budget);
    QList<emu::RecordFilter> filters;
    for (const QString &chunk : chunks) {
        const qsizetype length = QUrl::toPercentEncoding(chunk).size();
        TF_FUZZ_CHECK(length <= budget || !chunk.contains(QLatin1Char(',')),
                      QStringLiteral("a chunk of %1 encoded characters, over the %2 budget: %3")
                          .arg(length)
                          .arg(budget)
                          .arg(chunk));
        filters.append(parsed(chunk));
    }
    for (const QString &path : {jobTitle, firstName}) {
        for (const QString &value : values) {
            const QJsonObject person = personWith(path, value);
            TF_FUZZ_CHECK(std::any_of(filters.cbegin(), filters.cend(),
                                      [&](const emu::RecordFilter &filter) { return filter.matches(person); }),
                          QStringLiteral("no chunk matches %1 = '%2'").arg(path, value));
        }
    }
    return 0;
}
