#pragma once

// What the fuzz targets share. A target calls decoders with arbitrary input, catches only the exception type the
// decoder documents (any other escapes LLVMFuzzerTestOneInput, std::terminate aborts, and libFuzzer keeps the
// input), and states its invariants with TF_FUZZ_CHECK.

#include <QByteArray>
#include <QList>
#include <QString>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace tf::fuzz {

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// The input as `count` parts: split at the first count - 1 newlines, the last part keeps the rest (newlines
// included). Missing parts are empty. Seeds stay readable text files: one field a line, the body last.
inline QList<QByteArray> parts(const QByteArray &input, int count)
{
    QList<QByteArray> result;
    qsizetype from = 0;
    for (int i = 0; i < count - 1; ++i) {
        const qsizetype newline = input.indexOf('\n', from);
        if (newline < 0) {
            result.append(input.mid(from));
            from = input.size();
            continue;
        }
        result.append(input.mid(from, newline - from));
        from = newline + 1;
    }
    result.append(input.mid(from));
    return result;
}

[[noreturn]] inline void violated(const char *file, int line, const char *condition, const QString &detail)
{
    std::fprintf(stderr, "%s:%d: invariant violated: %s\n  %s\n", file, line, condition, qPrintable(detail));
    std::abort();
}

} // namespace tf::fuzz

// An invariant of every input; `detail` (a QString) says what was seen. Aborting lets libFuzzer save the input.
#define TF_FUZZ_CHECK(condition, detail)                                                                               \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            ::tf::fuzz::violated(__FILE__, __LINE__, #condition, (detail));                                            \
    } while (false)
