#pragma once

#include <QString>

namespace tf::emu {

// Twenty's email canonicalisation and check (twenty-shared canonicalizeEmail, validate-email-value; §4.3):
// trimmed, lowercased, full-width and ideographic dots made ASCII, trailing dots dropped, IDN domain in punycode.
// "REST-X@💩。LA." becomes "rest-x@xn--ls8h.la".
class EmailCanonicalizer
{
public:
    static QString canonicalize(const QString &email);
    static bool isValid(const QString &canonicalEmail); // zod's email pattern, which Twenty validates with
};

} // namespace tf::emu
