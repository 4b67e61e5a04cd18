#pragma once

#include <QStringList>

namespace tf::emu {

// ITU calling codes of ISO 3166 countries, as libphonenumber (which Twenty's phone transform uses, §4.3) knows them.
class CallingCodes
{
public:
    static bool isCountry(const QString &isoCode);              // "GB"
    static QString callingCodeOf(const QString &isoCode);       // "GB" → "44"; empty for an unknown country
    static QStringList countriesOf(const QString &callingCode); // "+44" or "44" → GB first, then GG, IM, JE
    static QString longestPrefixOf(const QString &digits);      // "447911123456" → "44"; empty when none fits
    // Whether national numbers of the country are dialled with a leading 0 the international form drops.
    static bool dropsTrunkZero(const QString &isoCode);
};

} // namespace tf::emu
