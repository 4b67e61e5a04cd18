#pragma once

#include <QByteArray>
#include <QString>

namespace tf {

// Bytes that should be UTF-8, decoded strictly. SQLite stores whatever bytes a program bound to a TEXT column, and
// a lossy decode would replace (or, in SQLite's own UTF-16 conversion, drop) the bad bytes without a word; the
// other layers (PostgreSQL, BigQuery, Twenty's JSON) accept only valid UTF-8, so such text cannot be carried at all.
struct DecodedText {
    QString text;             // the decoded text; where the bytes are not UTF-8, with U+FFFD (for display only)
    qsizetype invalidAt = -1; // offset of the first byte that does not start or continue a valid sequence
    bool valid() const { return invalidAt < 0; }
};

class Utf8Text {
public:
    static DecodedText decode(const QByteArray &bytes);
    // The offset of the first ill-formed sequence (RFC 3629: no overlong forms, no surrogates, nothing past
    // U+10FFFF, no truncated sequence), or -1 when every byte is valid UTF-8.
    static qsizetype firstInvalidByte(const QByteArray &bytes);
};

} // namespace tf
