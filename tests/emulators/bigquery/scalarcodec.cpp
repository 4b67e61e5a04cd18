#include "bigquery/scalarcodec.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <cmath>

namespace tf::emu {

namespace {

constexpr qint64 kMicrosPerSecond = 1000000;
constexpr qint64 kMicrosPerDay = 86400 * kMicrosPerSecond;
constexpr int kKeyIntegerDigits = 40;
constexpr int kKeyFractionDigits = 38;

struct Civil {
    qint64 year;
    int month;
    int day;
};

Civil civilFromDays(qint64 z)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    return Civil{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool leap(qint64 year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool validDate(qint64 year, int month, int day)
{
    static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    return day <= lengths[month - 1] + (month == 2 && leap(year) ? 1 : 0);
}

QString pad(qint64 value, int width)
{
    return QStringLiteral("%1").arg(value, width, 10, QLatin1Char('0'));
}

// "HH:MM:SS" plus the microseconds: none when zero, else all six digits (§1.3 DATETIME/TIME examples).
QString clockText(int hour, int minute, int second, int micros, bool trimFraction)
{
    QString text = pad(hour, 2) + QLatin1Char(':') + pad(minute, 2) + QLatin1Char(':') + pad(second, 2);
    if (micros == 0)
        return text;
    QString fraction = pad(micros, 6);
    if (trimFraction) {
        while (fraction.endsWith(QLatin1Char('0')))
            fraction.chop(1);
    }
    return text + QLatin1Char('.') + fraction;
}

struct Clock {
    int hour = 0, minute = 0, second = 0, micros = 0;
};

// "H[H]:M[M][:S[S][.F{1,6}]]" from regex captures.
std::optional<Clock> clockFrom(const QString &hour, const QString &minute, const QString &second, const QString &fraction)
{
    Clock clock;
    clock.hour = hour.toInt();
    clock.minute = minute.toInt();
    clock.second = second.isEmpty() ? 0 : second.toInt();
    if (fraction.size() > 6)
        return std::nullopt; // microsecond precision (GoogleSQL: up to six fractional digits)
    clock.micros = fraction.isEmpty() ? 0 : (fraction + QStringLiteral("000000").left(6 - fraction.size())).toInt();
    if (clock.hour > 23 || clock.minute > 59 || clock.second > 59)
        return std::nullopt;
    return clock;
}

struct DateTimeParts {
    qint64 year;
    int month, day;
    Clock clock;
};

std::optional<QString> parseDate(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,4})-(\\d{1,2})-(\\d{1,2})$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch() || !validDate(m.captured(1).toLongLong(), m.captured(2).toInt(), m.captured(3).toInt()))
        return std::nullopt;
    return pad(m.captured(1).toLongLong(), 4) + QLatin1Char('-') + pad(m.captured(2).toInt(), 2) + QLatin1Char('-')
        + pad(m.captured(3).toInt(), 2);
}

std::optional<DateTimeParts> parseDateTimeParts(const QString &text, QString *zone)
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\d{1,4})-(\\d{1,2})-(\\d{1,2})(?:(?:[Tt]|\\s+)(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d+))?)?)?"
        "\\s*(Z|z|UTC|[+-]\\d{1,2}(?::?\\d{2})?)?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    DateTimeParts parts{m.captured(1).toLongLong(), m.captured(2).toInt(), m.captured(3).toInt(), Clock()};
    if (!validDate(parts.year, parts.month, parts.day))
        return std::nullopt;
    if (!m.captured(4).isEmpty()) {
        const std::optional<Clock> clock = clockFrom(m.captured(4), m.captured(5), m.captured(6), m.captured(7));
        if (!clock)
            return std::nullopt;
        parts.clock = *clock;
    }
    *zone = m.captured(8);
    return parts;
}

std::optional<QString> parseDatetime(const QString &text)
{
    QString zone;
    const std::optional<DateTimeParts> parts = parseDateTimeParts(text, &zone);
    if (!parts || !zone.isEmpty())
        return std::nullopt;
    return pad(parts->year, 4) + QLatin1Char('-') + pad(parts->month, 2) + QLatin1Char('-') + pad(parts->day, 2)
        + QLatin1Char('T') + pad(parts->clock.hour, 2) + QLatin1Char(':') + pad(parts->clock.minute, 2)
        + QLatin1Char(':') + pad(parts->clock.second, 2) + QLatin1Char('.') + pad(parts->clock.micros, 6);
}

std::optional<QString> parseTime(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d+))?)?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const std::optional<Clock> clock = clockFrom(m.captured(1), m.captured(2), m.captured(3), m.captured(4));
    if (!clock)
        return std::nullopt;
    return pad(clock->hour, 2) + QLatin1Char(':') + pad(clock->minute, 2) + QLatin1Char(':') + pad(clock->second, 2)
        + QLatin1Char('.') + pad(clock->micros, 6);
}

// "YYYY-MM-DDTHH:MM:SS.ffffff" or "HH:MM:SS.ffffff" (storage) → the cell or CAST text.
QString clockStorageText(const QString &storage, bool trimFraction)
{
    const int dot = storage.lastIndexOf(QLatin1Char('.'));
    const QString head = dot < 0 ? storage : storage.left(dot);
    const int micros = dot < 0 ? 0 : storage.mid(dot + 1).toInt();
    if (micros == 0)
        return head;
    QString fraction = storage.mid(dot + 1);
    if (trimFraction) {
        while (fraction.endsWith(QLatin1Char('0')))
            fraction.chop(1);
    }
    return head + QLatin1Char('.') + fraction;
}

struct TimestampParts {
    Civil date;
    Clock clock;
};

TimestampParts split(qint64 micros)
{
    qint64 days = micros / kMicrosPerDay;
    qint64 rest = micros % kMicrosPerDay;
    if (rest < 0) {
        rest += kMicrosPerDay;
        --days;
    }
    TimestampParts parts{civilFromDays(days), Clock()};
    parts.clock.micros = int(rest % kMicrosPerSecond);
    const qint64 seconds = rest / kMicrosPerSecond;
    parts.clock.hour = int(seconds / 3600);
    parts.clock.minute = int(seconds / 60 % 60);
    parts.clock.second = int(seconds % 60);
    return parts;
}

QString dateText(const Civil &date)
{
    return pad(date.year, 4) + QLatin1Char('-') + pad(date.month, 2) + QLatin1Char('-') + pad(date.day, 2);
}

} // namespace

qint64 ScalarCodec::daysFromCivil(qint64 year, int month, int day)
{
    year -= month <= 2 ? 1 : 0;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yoe = year - era * 400;
    const qint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::optional<qint64> ScalarCodec::parseInt64(const QString &text)
{
    bool ok = false;
    qint64 value = 0;
    static const QRegularExpression hex(QStringLiteral("^([+-]?)0[xX]([0-9A-Fa-f]+)$"));
    if (const QRegularExpressionMatch m = hex.match(text); m.hasMatch()) {
        const quint64 magnitude = m.captured(2).toULongLong(&ok, 16);
        if (!ok || magnitude > quint64(std::numeric_limits<qint64>::max()) + (m.captured(1) == QLatin1String("-") ? 1 : 0))
            return std::nullopt;
        return m.captured(1) == QLatin1String("-") ? qint64(0 - magnitude) : qint64(magnitude);
    }
    static const QRegularExpression decimal(QStringLiteral("^[+-]?\\d+$"));
    if (!decimal.match(text).hasMatch())
        return std::nullopt;
    value = text.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

std::optional<double> ScalarCodec::parseFloat(const QString &text)
{
    const QString lower = text.toLower();
    if (lower == QLatin1String("nan") || lower == QLatin1String("+nan") || lower == QLatin1String("-nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (lower == QLatin1String("inf") || lower == QLatin1String("+inf") || lower == QLatin1String("infinity")
        || lower == QLatin1String("+infinity"))
        return std::numeric_limits<double>::infinity();
    if (lower == QLatin1String("-inf") || lower == QLatin1String("-infinity"))
        return -std::numeric_limits<double>::infinity();
    static const QRegularExpression number(QStringLiteral("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$"));
    if (!number.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok && !std::isinf(value))
        return std::nullopt;
    return value;
}

std::optional<qint64> ScalarCodec::parseTimestamp(const QString &text)
{
    QString zone;
    const std::optional<DateTimeParts> parts = parseDateTimeParts(text, &zone);
    if (!parts)
        return std::nullopt;
    qint64 offsetMinutes = 0;
    if (!zone.isEmpty() && zone.at(0) != QLatin1Char('Z') && zone.at(0) != QLatin1Char('z') && zone != QLatin1String("UTC")) {
        static const QRegularExpression re(QStringLiteral("^([+-])(\\d{1,2}):?(\\d{2})?$"));
        const QRegularExpressionMatch m = re.match(zone);
        const int hours = m.captured(2).toInt();
        const int minutes = m.captured(3).toInt();
        if (hours > 14 || minutes > 59)
            return std::nullopt;
        offsetMinutes = (hours * 60 + minutes) * (m.captured(1) == QLatin1String("-") ? -1 : 1);
    }
    const qint64 days = daysFromCivil(parts->year, parts->month, parts->day);
    const qint64 micros = days * kMicrosPerDay
        + ((parts->clock.hour * 60 + parts->clock.minute) * 60 + parts->clock.second - offsetMinutes * 60) * kMicrosPerSecond
        + parts->clock.micros;
    // The TIMESTAMP range is 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC.
    static const qint64 lowest = daysFromCivil(1, 1, 1) * kMicrosPerDay;
    static const qint64 highest = daysFromCivil(10000, 1, 1) * kMicrosPerDay - 1;
    if (micros < lowest || micros > highest)
        return std::nullopt;
    return micros;
}

std::optional<QString> ScalarCodec::canonicalJson(const QString &text)
{
    // QJsonDocument holds only arrays and objects: wrap the value to accept scalars too.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    const QByteArray wrapped = document.toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

std::optional<QString> ScalarCodec::numericKey(const QString &text, TypeKind kind)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([+-])?(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch() || (m.captured(2).isEmpty() && m.captured(3).isEmpty()))
        return std::nullopt;
    const bool negative = m.captured(1) == QLatin1String("-");
    QString digits = m.captured(2) + m.captured(3);
    qint64 pointAt = m.captured(2).size() + m.captured(4).toLongLong(); // digits before the decimal point
    const int scale = kind == TypeKind::BigNumeric ? 38 : 9;
    const int maxInteger = kind == TypeKind::BigNumeric ? 38 : 29;
    // Normalise to exactly kKeyIntegerDigits integer digits and `scale` fraction digits, rounding half away from zero.
    if (m.captured(4).size() > 6)
        return std::nullopt; // an exponent beyond any NUMERIC's range
    if (pointAt < -kKeyFractionDigits) {
        digits.clear(); // far below the smallest fraction digit: rounds to zero
        pointAt = kKeyIntegerDigits;
    }
    if (pointAt > kKeyIntegerDigits) {
        const QString rest = digits.left(int(pointAt - kKeyIntegerDigits));
        if (rest.count(QLatin1Char('0')) != rest.size())
            return std::nullopt;
    }
    if (pointAt < kKeyIntegerDigits) {
        digits.prepend(QString(int(kKeyIntegerDigits - pointAt), QLatin1Char('0')));
        pointAt = kKeyIntegerDigits;
    }
    digits = digits.mid(int(pointAt - kKeyIntegerDigits));
    if (digits.size() < kKeyIntegerDigits + scale + 1)
        digits.append(QString(kKeyIntegerDigits + scale + 1 - digits.size(), QLatin1Char('0')));
    const bool roundUp = digits.at(kKeyIntegerDigits + scale) >= QLatin1Char('5');
    digits.truncate(kKeyIntegerDigits + scale);
    if (roundUp) {
        int i = int(digits.size()) - 1;
        for (; i >= 0 && digits.at(i) == QLatin1Char('9'); --i)
            digits[i] = QLatin1Char('0');
        if (i < 0)
            return std::nullopt;
        digits[i] = QChar(digits.at(i).unicode() + 1);
    }
    for (int i = 0; i < kKeyIntegerDigits - maxInteger; ++i) {
        if (digits.at(i) != QLatin1Char('0'))
            return std::nullopt; // more integer digits than the type's precision allows
    }
    digits.append(QString(kKeyFractionDigits - scale, QLatin1Char('0')));
    const bool zero = digits.count(QLatin1Char('0')) == digits.size();
    if (!negative || zero)
        return QLatin1Char('p') + digits;
    for (QChar &c : digits)
        c = QChar('9' - c.unicode() + '0');
    return QLatin1Char('n') + digits;
}

QString ScalarCodec::numericText(const QString &key)
{
    const bool negative = key.startsWith(QLatin1Char('n'));
    QString digits = key.mid(1);
    if (negative) {
        for (QChar &c : digits)
            c = QChar('9' - c.unicode() + '0');
    }
    QString integer = digits.left(kKeyIntegerDigits);
    QString fraction = digits.mid(kKeyIntegerDigits);
    while (integer.size() > 1 && integer.startsWith(QLatin1Char('0')))
        integer.remove(0, 1);
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    return (negative ? QStringLiteral("-") : QString()) + integer
        + (fraction.isEmpty() ? QString() : QLatin1Char('.') + fraction);
}

double ScalarCodec::numericValue(const QString &key)
{
    return numericText(key).toDouble();
}

QString ScalarCodec::shortestDouble(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString ScalarCodec::javaDouble(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    if (value == 0)
        return std::signbit(value) ? QStringLiteral("-0.0") : QStringLiteral("0.0");
    const QString sign = value < 0 ? QStringLiteral("-") : QString();
    const double magnitude = std::fabs(value);
    // Shortest digits that read back as the same double, then Java's layout: plain in [1e-3, 1e7), else d.dddEn.
    const QString scientific = QString::number(magnitude, 'e', QLocale::FloatingPointShortest);
    const int e = int(scientific.indexOf(QLatin1Char('e')));
    QString digits = scientific.left(e).remove(QLatin1Char('.'));
    const int exponent = scientific.mid(e + 1).toInt();
    if (magnitude >= 1e-3 && magnitude < 1e7) {
        if (exponent >= 0) {
            if (digits.size() <= exponent + 1)
                digits.append(QString(exponent + 1 - digits.size() + 1, QLatin1Char('0')));
            QString fraction = digits.mid(exponent + 1);
            return sign + digits.left(exponent + 1) + QLatin1Char('.') + (fraction.isEmpty() ? QStringLiteral("0") : fraction);
        }
        return sign + QStringLiteral("0.") + QString(-exponent - 1, QLatin1Char('0')) + digits;
    }
    const QString fraction = digits.mid(1);
    return sign + digits.left(1) + QLatin1Char('.') + (fraction.isEmpty() ? QStringLiteral("0") : fraction)
        + QLatin1Char('E') + QString::number(exponent);
}

QString ScalarCodec::timestampIso(qint64 micros, int fractionDigits)
{
    const TimestampParts parts = split(micros);
    QString fraction = pad(parts.clock.micros, 6);
    fraction = fractionDigits <= 6 ? fraction.left(fractionDigits) : fraction + QString(fractionDigits - 6, QLatin1Char('0'));
    return dateText(parts.date) + QLatin1Char('T') + clockText(parts.clock.hour, parts.clock.minute, parts.clock.second, 0, false)
        + (fraction.isEmpty() ? QString() : QLatin1Char('.') + fraction) + QLatin1Char('Z');
}

QString ScalarCodec::timestampJson(qint64 micros)
{
    const TimestampParts parts = split(micros);
    return dateText(parts.date) + QLatin1Char('T')
        + clockText(parts.clock.hour, parts.clock.minute, parts.clock.second, parts.clock.micros, true) + QLatin1Char('Z');
}

QString ScalarCodec::timestampText(qint64 micros)
{
    const TimestampParts parts = split(micros);
    return dateText(parts.date) + QLatin1Char(' ')
        + clockText(parts.clock.hour, parts.clock.minute, parts.clock.second, parts.clock.micros, true)
        + QStringLiteral("+00");
}

QString ScalarCodec::dateFromTimestamp(qint64 micros)
{
    return dateText(split(micros).date);
}

QString ScalarCodec::datetimeFromTimestamp(qint64 micros)
{
    const TimestampParts parts = split(micros);
    return dateText(parts.date) + QLatin1Char('T')
        + clockText(parts.clock.hour, parts.clock.minute, parts.clock.second, 0, false) + QLatin1Char('.')
        + pad(parts.clock.micros, 6);
}

std::optional<QVariant> ScalarCodec::parse(TypeKind kind, const QString &text)
{
    switch (kind) {
    case TypeKind::Int64:
        if (const std::optional<qint64> value = parseInt64(text))
            return QVariant(qlonglong(*value));
        return std::nullopt;
    case TypeKind::Float64:
        if (const std::optional<double> value = parseFloat(text))
            return QVariant(*value);
        return std::nullopt;
    case TypeKind::Numeric:
    case TypeKind::BigNumeric:
        if (const std::optional<QString> key = numericKey(text, kind))
            return QVariant(*key);
        return std::nullopt;
    case TypeKind::Bool:
        if (text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return QVariant(qlonglong(1));
        if (text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return QVariant(qlonglong(0));
        return std::nullopt;
    case TypeKind::String:
        return QVariant(text);
    case TypeKind::Bytes: {
        const QByteArray::FromBase64Result decoded =
            QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::nullopt;
        return QVariant(*decoded);
    }
    case TypeKind::Timestamp:
        if (const std::optional<qint64> micros = parseTimestamp(text))
            return QVariant(qlonglong(*micros));
        return std::nullopt;
    case TypeKind::Date:
        if (const std::optional<QString> date = parseDate(text.trimmed()))
            return QVariant(*date);
        return std::nullopt;
    case TypeKind::Datetime:
        if (const std::optional<QString> datetime = parseDatetime(text))
            return QVariant(*datetime);
        return std::nullopt;
    case TypeKind::Time:
        if (const std::optional<QString> time = parseTime(text))
            return QVariant(*time);
        return std::nullopt;
    case TypeKind::Geography:
        if (text.trimmed().isEmpty())
            return std::nullopt;
        return QVariant(text.trimmed());
    case TypeKind::Json:
        if (const std::optional<QString> json = canonicalJson(text))
            return QVariant(*json);
        return std::nullopt;
    case TypeKind::Array:
    case TypeKind::Struct:
        break;
    }
    return std::nullopt;
}

QString ScalarCodec::cellText(TypeKind kind, const QVariant &storage)
{
    switch (kind) {
    case TypeKind::Int64:
    case TypeKind::Timestamp:
        return QString::number(storage.toLongLong());
    case TypeKind::Float64:
        return javaDouble(storage.toDouble());
    case TypeKind::Numeric:
    case TypeKind::BigNumeric:
        return numericText(storage.toString());
    case TypeKind::Bool:
        return storage.toLongLong() ? QStringLiteral("true") : QStringLiteral("false");
    case TypeKind::Bytes:
        return QString::fromLatin1(storage.toByteArray().toBase64());
    case TypeKind::Datetime:
    case TypeKind::Time:
        return clockStorageText(storage.toString(), false);
    default:
        return storage.toString();
    }
}

std::optional<QString> ScalarCodec::castText(TypeKind kind, const QVariant &storage)
{
    switch (kind) {
    case TypeKind::Float64:
        return shortestDouble(storage.toDouble());
    case TypeKind::Timestamp:
        return timestampText(storage.toLongLong());
    case TypeKind::Datetime:
        return clockStorageText(storage.toString(), true).replace(QLatin1Char('T'), QLatin1Char(' '));
    case TypeKind::Time:
        return clockStorageText(storage.toString(), true);
    case TypeKind::Bytes: {
        const QByteArray bytes = storage.toByteArray();
        const QString text = QString::fromUtf8(bytes);
        if (text.toUtf8() != bytes)
            return std::nullopt;
        return text;
    }
    default:
        return cellText(kind, storage);
    }
}

} // namespace tf::emu
