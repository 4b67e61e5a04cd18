#pragma once

#include <QString>
#include <optional>

namespace tf {

// One phone as Twenty stores it (twenty-rest.md §4.1 PHONES): the national number, the ISO country ("GB") and the
// calling code ("+44"), for primaryPhone* and for each additionalPhones entry.
struct PhoneParts {
    QString number;
    QString countryCode;
    QString callingCode;
};

// E.164 strings (the form every other layer holds, contract "phones") ⇄ Twenty's parts. Twenty splits and
// validates phones on its own (§4.3); sending the parts already split means the value it stores is the one we
// meant, and joining them back yields the same E.164 string, so a round trip is not a change.
class PhoneSplitter
{
public:
    // A number without "+" (no country), with an unknown calling code or longer than E.164 allows has no place
    // in Twenty: nullopt, with why in *error, so the contact is refused with a reason instead of changing.
    static std::optional<PhoneParts> split(const QString &phone, QString *error);
    // The E.164 form of Twenty's parts; "" when there is no number. A number typed into Twenty with only a
    // country code gets that country's calling code.
    static QString join(const PhoneParts &parts);
};

} // namespace tf
