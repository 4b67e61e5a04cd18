#include "connectors/twenty/phonesplitter.h"

#include "connectors/twenty/callingcodes.h"
#include "core/contactnormalizer.h"

namespace tf {

namespace {

constexpr int kE164MaxDigits = 15; // ITU-T E.164 §6

QString digitsOf(const QString &text)
{
    QString digits;
    for (const QChar c : text) {
        if (c.isDigit())
            digits.append(QChar(QLatin1Char('0' + c.digitValue())));
    }
    return digits;
}

} // namespace

std::optional<PhoneParts> PhoneSplitter::split(const QString &phone, QString *error)
{
    const QString normal = ContactNormalizer::normalizedPhone(phone);
    if (normal.isEmpty()) {
        *error = QStringLiteral("phone '%1' holds no digits").arg(phone);
        return std::nullopt;
    }
    if (!normal.startsWith(QLatin1Char('+'))) {
        // Twenty parses a number with its country and has none to assume (§4.3: INVALID_PHONE_NUMBER).
        *error = QStringLiteral("phone '%1' has no country calling code ('+…'); Twenty cannot store a number "
                                "without its country (twenty-rest.md §4.3)")
                     .arg(phone);
        return std::nullopt;
    }
    const QString digits = normal.mid(1);
    if (digits.size() > kE164MaxDigits) {
        *error = QStringLiteral("phone '%1' has %2 digits, more than the %3 E.164 allows")
                     .arg(phone)
                     .arg(digits.size())
                     .arg(kE164MaxDigits);
        return std::nullopt;
    }
    const QString code = CallingCodes::prefixOf(digits);
    if (code.isEmpty()) {
        *error = QStringLiteral("phone '%1' starts with no country calling code; Twenty stores a phone as country + "
                                "national number (twenty-rest.md §4.3)")
                     .arg(phone);
        return std::nullopt;
    }
    const QString national = digits.mid(code.size());
    if (national.isEmpty()) {
        *error = QStringLiteral("phone '%1' has no number after its calling code +%2").arg(phone, code);
        return std::nullopt;
    }
    return PhoneParts{national, CallingCodes::countryOf(code), QLatin1Char('+') + code};
}

QString PhoneSplitter::join(const PhoneParts &parts)
{
    const QString number = parts.number.trimmed();
    if (digitsOf(number).isEmpty())
        return {};
    if (number.startsWith(QLatin1Char('+')))
        return ContactNormalizer::normalizedPhone(number);
    QString code = digitsOf(parts.callingCode);
    if (code.isEmpty() && !parts.countryCode.trimmed().isEmpty())
        code = CallingCodes::callingCodeOf(parts.countryCode);
    return ContactNormalizer::normalizedPhone(code.isEmpty() ? number : QLatin1Char('+') + code + number);
}

} // namespace tf
