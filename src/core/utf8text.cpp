#include "core/utf8text.h"

#include <QStringDecoder>

namespace tf {

namespace {

// The length of the well-formed sequence starting at `at`, or 0 when it is ill-formed (RFC 3629 §4 table).
qsizetype sequenceLength(const QByteArray &bytes, qsizetype at)
{
    const auto byte = [&bytes](qsizetype i) { return static_cast<unsigned char>(bytes.at(i)); };
    const unsigned char lead = byte(at);
    if (lead < 0x80)
        return 1;
    qsizetype length = 0;
    unsigned char low = 0x80; // the range of the second byte, narrower after some lead bytes
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;  // overlong
        high = lead == 0xED ? 0x9F : 0xBF; // UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;  // overlong
        high = lead == 0xF4 ? 0x8F : 0xBF; // past U+10FFFF
    } else {
        return 0; // a continuation byte, an overlong two-byte lead (C0, C1) or a lead past U+10FFFF
    }
    if (at + length > bytes.size())
        return 0;
    if (byte(at + 1) < low || byte(at + 1) > high)
        return 0;
    for (qsizetype i = 2; i < length; ++i) {
        if (byte(at + i) < 0x80 || byte(at + i) > 0xBF)
            return 0;
    }
    return length;
}

} // namespace

qsizetype Utf8Text::firstInvalidByte(const QByteArray &bytes)
{
    for (qsizetype at = 0; at < bytes.size();) {
        const qsizetype length = sequenceLength(bytes, at);
        if (length == 0)
            return at;
        at += length;
    }
    return -1;
}

DecodedText Utf8Text::decode(const QByteArray &bytes)
{
    // Stateless: a sequence cut off at the end is an error too, not a state kept for more input. ConvertInitialBom:
    // a leading U+FEFF is part of the value; by default the decoder would drop it.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    DecodedText decoded;
    decoded.text = decoder.decode(bytes);
    if (decoder.hasError()) {
        decoded.invalidAt = firstInvalidByte(bytes);
        if (decoded.invalidAt < 0)
            decoded.invalidAt = 0; // Qt refused what RFC 3629 allows: still not carried, named at its start
    }
    return decoded;
}

} // namespace tf
