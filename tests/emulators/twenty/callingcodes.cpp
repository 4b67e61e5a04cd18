#include "twenty/callingcodes.h"

#include <QHash>

namespace tf::emu {

namespace {

// ISO code followed by calling code. Where countries share a code, the first listed is the one libphonenumber
// reports for numbers it cannot place more precisely (its "main country for code").
const char *const kTable =
    "US1 AG1 AI1 AS1 BB1 BM1 BS1 CA1 DM1 DO1 GD1 GU1 JM1 KN1 KY1 LC1 MP1 MS1 PR1 SX1 TC1 TT1 VC1 VG1 VI1 "
    "RU7 KZ7 GB44 GG44 IM44 JE44 IT39 VA39 NO47 SJ47 AU61 CC61 CX61 RE262 YT262 SH290 TA290 FI358 AX358 "
    "GP590 BL590 MF590 CW599 BQ599 MA212 EH212 "
    "AC247 AD376 AE971 AF93 AL355 AM374 AO244 AR54 AT43 AW297 AZ994 BA387 BD880 BE32 BF226 BG359 BH973 BI257 "
    "BJ229 BN673 BO591 BR55 BT975 BW267 BY375 BZ501 CD243 CF236 CG242 CH41 CI225 CK682 CL56 CM237 CN86 CO57 "
    "CR506 CU53 CV238 CY357 CZ420 DE49 DJ253 DK45 DZ213 EC593 EE372 EG20 ER291 ES34 ET251 FJ679 FK500 FM691 "
    "FO298 FR33 GA241 GE995 GF594 GH233 GI350 GL299 GM220 GN224 GQ240 GR30 GT502 GW245 GY592 HK852 HN504 HR385 "
    "HT509 HU36 ID62 IE353 IL972 IN91 IO246 IQ964 IR98 IS354 JO962 JP81 KE254 KG996 KH855 KI686 KM269 KP850 "
    "KR82 KW965 LA856 LB961 LI423 LK94 LR231 LS266 LT370 LU352 LV371 LY218 MC377 MD373 ME382 MG261 MH692 MK389 "
    "ML223 MM95 MN976 MO853 MQ596 MR222 MT356 MU230 MV960 MW265 MX52 MY60 MZ258 NA264 NC687 NE227 NF672 NG234 "
    "NI505 NL31 NP977 NR674 NU683 NZ64 OM968 PA507 PE51 PF689 PG675 PH63 PK92 PL48 PM508 PS970 PT351 PW680 "
    "PY595 QA974 RO40 RS381 RW250 SA966 SB677 SC248 SD249 SE46 SG65 SI386 SK421 SL232 SM378 SN221 SO252 SR597 "
    "SS211 ST239 SV503 SY963 SZ268 TD235 TG228 TH66 TJ992 TK690 TL670 TM993 TN216 TO676 TR90 TV688 TW886 "
    "TZ255 UA380 UG256 UY598 UZ998 VE58 VN84 VU678 WF681 WS685 XK383 YE967 ZA27 ZM260 ZW263";

struct Tables {
    QHash<QString, QString> codeByCountry;
    QHash<QString, QStringList> countriesByCode;
};

const Tables &tables()
{
    static const Tables built = [] {
        Tables result;
        for (const QString &entry : QString::fromLatin1(kTable).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString country = entry.left(2);
            const QString code = entry.mid(2);
            result.codeByCountry.insert(country, code);
            result.countriesByCode[code].append(country);
        }
        return result;
    }();
    return built;
}

} // namespace

bool CallingCodes::isCountry(const QString &isoCode)
{
    return tables().codeByCountry.contains(isoCode);
}

QString CallingCodes::callingCodeOf(const QString &isoCode)
{
    return tables().codeByCountry.value(isoCode);
}

QStringList CallingCodes::countriesOf(const QString &callingCode)
{
    QString digits = callingCode.trimmed();
    if (digits.startsWith(QLatin1Char('+')))
        digits.remove(0, 1);
    return tables().countriesByCode.value(digits);
}

QString CallingCodes::longestPrefixOf(const QString &digits)
{
    for (int length = 3; length >= 1; --length) {
        if (digits.size() > length && tables().countriesByCode.contains(digits.left(length)))
            return digits.left(length);
    }
    return {};
}

bool CallingCodes::dropsTrunkZero(const QString &isoCode)
{
    // Numbering plans without a national trunk prefix, or (Italy, San Marino, Vatican) whose leading 0 is part
    // of the number itself.
    static const QStringList keepZero{QStringLiteral("IT"), QStringLiteral("SM"), QStringLiteral("VA"),
                                      QStringLiteral("ES"), QStringLiteral("PT"), QStringLiteral("GR"),
                                      QStringLiteral("NO"), QStringLiteral("DK"), QStringLiteral("PL"),
                                      QStringLiteral("CZ"), QStringLiteral("SK"), QStringLiteral("LU"),
                                      QStringLiteral("IS"), QStringLiteral("EE"), QStringLiteral("LV"),
                                      QStringLiteral("MT"), QStringLiteral("CY"), QStringLiteral("MC")};
    return callingCodeOf(isoCode) != QLatin1String("1") && !keepZero.contains(isoCode);
}

} // namespace tf::emu
