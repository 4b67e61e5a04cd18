#pragma once

#include <QString>

namespace tf {

// ITU-T E.164 country calling codes and the ISO 3166 alpha-2 country Twenty stores beside each one
// (twenty-rest.md §4.1: phones are split into primaryPhoneNumber, primaryPhoneCountryCode "GB" and
// primaryPhoneCallingCode "+44"). Calling codes are prefix-free, so the one that starts an international number
// is unambiguous. A code several countries share (+1, +7, +44, ...) maps to its main country; every country
// still maps back to its code.
class CallingCodes
{
public:
    // The calling code (digits, no "+") that starts `internationalDigits`, or "" when none does.
    static QString prefixOf(const QString &internationalDigits);
    // The main country of a calling code ("44" → "GB"), or "".
    static QString countryOf(const QString &callingCode);
    // The calling code of a country ("CA" → "1"), or "".
    static QString callingCodeOf(const QString &country);
};

} // namespace tf
