#pragma once

#include <QString>
#include <optional>

namespace tf::emu {

// A phone as the three primary sub-fields of PHONES (or one entry of additionalPhones); nullopt = not sent.
struct PhoneParts {
    std::optional<QString> number;
    std::optional<QString> countryCode;
    std::optional<QString> callingCode;
};

// Twenty's phone transform (record-transformer transform-phones-value, §4.3): checks the country and calling
// codes, parses the number with them as defaults, infers what was not sent and rejects what contradicts:
// "+44 7911 123456" alone becomes 7911123456 / GB / +44. Errors are 400s carrying Twenty's exception code
// (INVALID_PHONE_NUMBER, CONFLICTING_PHONE_COUNTRY_CODE, ...).
class PhoneNormalizer
{
public:
    static PhoneParts normalize(const PhoneParts &input);
};

} // namespace tf::emu
