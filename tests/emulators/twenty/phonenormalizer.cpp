#include "twenty/phonenormalizer.h"

#include "twenty/apierror.h"
#include "twenty/callingcodes.h"

#include <QRegularExpression>

namespace tf::emu {

namespace {

// libphonenumber's bounds for a national significant number (MIN/MAX_LENGTH_FOR_NSN).
constexpr int kMinNationalDigits = 2;
constexpr int kMaxNationalDigits = 17;

bool isNonEmpty(const std::optional<QString> &value)
{
    return value && !value->isEmpty();
}

[[noreturn]] void fail(const QString &code, const QString &message)
{
    throw ApiError::badRequest(message).withCode(code);
}

QString digitsOf(const QString &callingCode)
{
    return callingCode.startsWith(QLatin1Char('+')) ? callingCode.mid(1) : callingCode;
}

void checkCodes(const std::optional<QString> &countryCode, const std::optional<QString> &callingCode)
{
    if (isNonEmpty(countryCode) && !CallingCodes::isCountry(*countryCode))
        fail(QStringLiteral("INVALID_PHONE_COUNTRY_CODE"), QStringLiteral("Invalid country code %1").arg(*countryCode));
    if (!isNonEmpty(callingCode))
        return;
    const QStringList countries = CallingCodes::countriesOf(*callingCode);
    if (countries.isEmpty())
        fail(QStringLiteral("INVALID_PHONE_CALLING_CODE"), QStringLiteral("Invalid calling code %1").arg(*callingCode));
    if (isNonEmpty(countryCode) && !countries.contains(*countryCode)) {
        fail(QStringLiteral("CONFLICTING_PHONE_CALLING_CODE_AND_COUNTRY_CODE"),
             QStringLiteral("Provided country code and calling code are conflicting"));
    }
}

PhoneParts parseNumber(const PhoneParts &input)
{
    const QString &number = *input.number;
    const auto invalid = [&] {
        fail(QStringLiteral("INVALID_PHONE_NUMBER"), QStringLiteral("Provided phone number is invalid %1").arg(number));
    };
    static const QRegularExpression shape(QStringLiteral("^\\s*\\+?[0-9\\s().\\-/]+$"));
    if (!shape.match(number).hasMatch())
        invalid();
    QString digits = number;
    digits.remove(QRegularExpression(QStringLiteral("[^0-9]")));
    const bool international = number.trimmed().startsWith(QLatin1Char('+'));

    QString callingCode;
    QString country;
    QString national;
    if (international) {
        callingCode = CallingCodes::longestPrefixOf(digits);
        if (callingCode.isEmpty())
            invalid();
        national = digits.mid(callingCode.size());
    } else {
        // A national number needs a default country or calling code to be parsed at all.
        if (isNonEmpty(input.countryCode))
            callingCode = CallingCodes::callingCodeOf(*input.countryCode);
        else if (isNonEmpty(input.callingCode))
            callingCode = digitsOf(*input.callingCode);
        else
            invalid();
        national = digits;
    }
    const QStringList countries = CallingCodes::countriesOf(callingCode);
    // libphonenumber places a number sharing a calling code by its pattern; the stand-in keeps a provided country
    // of that code and otherwise reports the code's main country.
    country = isNonEmpty(input.countryCode) && countries.contains(*input.countryCode) ? *input.countryCode
                                                                                        : countries.value(0);
    if (!international) {
        if (callingCode == QLatin1String("1") && national.size() == 11 && national.startsWith(QLatin1Char('1')))
            national.remove(0, 1);
        else if (CallingCodes::dropsTrunkZero(country) && national.startsWith(QLatin1Char('0')))
            national.remove(0, 1);
    }
    if (national.size() < kMinNationalDigits || national.size() > kMaxNationalDigits)
        invalid();
    if (isNonEmpty(input.countryCode) && *input.countryCode != country) {
        fail(QStringLiteral("CONFLICTING_PHONE_COUNTRY_CODE"),
             QStringLiteral("Provided and inferred country code are conflicting"));
    }
    if (isNonEmpty(input.callingCode) && digitsOf(*input.callingCode) != callingCode) {
        fail(QStringLiteral("CONFLICTING_PHONE_CALLING_CODE"),
             QStringLiteral("Provided and inferred calling code are conflicting"));
    }
    PhoneParts result;
    result.number = national;
    result.countryCode = input.countryCode.value_or(country);
    result.callingCode = input.callingCode.value_or(QLatin1Char('+') + callingCode);
    return result;
}

} // namespace

PhoneParts PhoneNormalizer::normalize(const PhoneParts &input)
{
    checkCodes(input.countryCode, input.callingCode);
    if (!isNonEmpty(input.number))
        return input;
    return parseNumber(input);
}

} // namespace tf::emu
