#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <cmath>
#include <limits>

namespace tf {

namespace {

QVariant normalizedText(const QVariant &value)
{
    const QString text = value.toString();
    return text.isEmpty() ? QVariant() : QVariant(text);
}

QVariant normalizedFloat(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return {};
    std::optional<double> number;
    if (value.userType() == QMetaType::QString) {
        number = ContactNormalizer::parseFloat(value.toString());
    } else {
        bool ok = false;
        const double converted = value.toDouble(&ok);
        if (ok)
            number = converted;
    }
    if (!number)
        return {};
    // NaN and infinities stay what they are: taken for NULL they would look like no change at all, or erase a
    // value. No layer is ever sent one (ValueValidator refuses them where they are read).
    return *number;
}

QVariant normalizedList(const FieldSpec &spec, const QVariant &value)
{
    QStringList items = value.toStringList();
    if (spec.name == field::Emails || spec.name == field::Phones) {
        QStringList cleaned;
        for (const QString &item : std::as_const(items)) {
            const QString normal = spec.name == field::Emails ? ContactNormalizer::normalizedEmail(item)
                                                              : ContactNormalizer::normalizedPhone(item);
            if (!normal.isEmpty())
                cleaned.append(normal);
        }
        items = cleaned;
    }
    return items.isEmpty() ? QVariant() : QVariant(items);
}

QJsonValue jsonFromVariant(const QVariant &value)
{
    if (value.userType() == qMetaTypeId<QJsonValue>())
        return value.value<QJsonValue>();
    if (value.userType() == QMetaType::QString || value.userType() == QMetaType::QByteArray) {
        // JSON columns arrive as text from SQLite and BigQuery: parse them. Text that is not JSON is kept as a
        // JSON string rather than dropped, so nothing is lost.
        const QByteArray bytes = value.toString().toUtf8();
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + bytes + "]", &error);
        if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
            return doc.array().first();
        return QJsonValue(value.toString());
    }
    return QJsonValue::fromVariant(value);
}

// A trailing dot closes a fully qualified domain and is not part of the address; dots and spaces may alternate
// ("a@b.com ." typed by hand), so both go until neither ends the text, or normalising again would change it.
QString withoutTrailingDots(QString text)
{
    while (!text.isEmpty() && (text.back() == QLatin1Char('.') || text.back().isSpace()))
        text.chop(1);
    return text;
}

QVariant normalizedJson(const QVariant &value)
{
    const QJsonValue json = jsonFromVariant(value);
    if (json.isNull() || json.isUndefined())
        return {};
    return QVariant::fromValue(json);
}

} // namespace

QString ContactNormalizer::normalizedEmail(const QString &email)
{
    QString address = email.trimmed();
    // Full-width and ideographic full stops are dots to IDNA (twenty-rest.md §4.3: REST-X@💩。LA. → rest-x@xn--ls8h.la).
    address.replace(QChar(0x3002), QLatin1Char('.'));
    address.replace(QChar(0xFF0E), QLatin1Char('.'));
    address.replace(QChar(0xFF61), QLatin1Char('.'));
    address = withoutTrailingDots(address);
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return address.toLower();
    const QString local = address.left(at).toLower();
    const QString domain = address.mid(at + 1).toLower();
    const QByteArray ace = QUrl::toAce(domain);
    return local + QLatin1Char('@') + (ace.isEmpty() ? domain : QString::fromLatin1(ace).toLower());
}

QString ContactNormalizer::normalizedPhone(const QString &phone)
{
    QString digits;
    bool international = false;
    QString trimmed = phone.trimmed();
    // "+44 (0) 20 …": the bracketed trunk zero is dialled only nationally and is not part of the E.164 number.
    static const QRegularExpression trunkZero(QStringLiteral("\\(\\s*0\\s*\\)"));
    if (trimmed.startsWith(QLatin1Char('+')))
        trimmed.remove(trunkZero);
    for (qsizetype i = 0; i < trimmed.size(); ++i) {
        const QChar c = trimmed.at(i);
        if (c == QLatin1Char('+') && digits.isEmpty())
            international = true;
        else if (c.isDigit())
            digits.append(QChar(QLatin1Char('0' + c.digitValue())));
        else if (c.isLetter())
            break; // an extension ("ext. 12") is not part of an E.164 number
    }
    if (!international && digits.startsWith(QLatin1String("00"))) {
        digits.remove(0, 2);
        international = true;
    }
    if (digits.isEmpty())
        return {};
    return international ? QLatin1Char('+') + digits : digits;
}

std::optional<double> ContactNormalizer::parseFloat(const QString &text)
{
    // The spellings of BigQuery's cells (bigquery-rest.md §1.3) and PostgreSQL's float8 output; SQLite prints "Inf".
    const QString trimmed = text.trimmed();
    if (trimmed.compare(QLatin1String("NaN"), Qt::CaseInsensitive) == 0)
        return std::numeric_limits<double>::quiet_NaN();
    for (const char *infinity : {"Infinity", "+Infinity", "Inf", "+Inf"}) {
        if (trimmed.compare(QLatin1String(infinity), Qt::CaseInsensitive) == 0)
            return std::numeric_limits<double>::infinity();
    }
    for (const char *infinity : {"-Infinity", "-Inf"}) {
        if (trimmed.compare(QLatin1String(infinity), Qt::CaseInsensitive) == 0)
            return -std::numeric_limits<double>::infinity();
    }
    bool ok = false;
    const double number = trimmed.toDouble(&ok);
    return ok && std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

QString ContactNormalizer::floatText(double number)
{
    if (std::isnan(number))
        return QStringLiteral("NaN");
    if (std::isinf(number))
        return number > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

QDateTime ContactNormalizer::normalizedTimestamp(const QDateTime &timestamp)
{
    if (!timestamp.isValid())
        return {};
    return QDateTime::fromMSecsSinceEpoch(timestamp.toMSecsSinceEpoch(), Qt::UTC);
}

QDateTime ContactNormalizer::parseTimestamp(const QString &text)
{
    QString iso = text.trimmed();
    if (iso.isEmpty())
        return {};
    iso.replace(QLatin1Char(' '), QLatin1Char('T'));
    // Qt parses at most milliseconds; drop further fraction digits (compared at ms anyway).
    static const QRegularExpression fraction(QStringLiteral("(\\.\\d{3})\\d+"));
    iso.replace(fraction, QStringLiteral("\\1"));
    if (iso.endsWith(QLatin1String("+00:00"))) {
        iso.chop(6);
        iso.append(QLatin1Char('Z'));
    }
    QDateTime parsed = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (parsed.isValid() && parsed.timeSpec() == Qt::LocalTime)
        parsed.setTimeSpec(Qt::UTC); // a stamp without a zone is UTC everywhere in the contract
    return normalizedTimestamp(parsed);
}

QString ContactNormalizer::timestampText(const QDateTime &timestamp)
{
    if (!timestamp.isValid())
        return {};
    return timestamp.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QLatin1Char('Z');
}

QString ContactNormalizer::canonicalJson(const QJsonValue &value)
{
    // QJsonObject keeps keys sorted, so compact output is canonical. Wrap in an array to serialise scalars too.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QVariant ContactNormalizer::normalizedValue(const FieldSpec &spec, const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
        return normalizedText(value);
    case FieldKind::Float:
        return normalizedFloat(value);
    case FieldKind::StringList:
        return normalizedList(spec, value);
    case FieldKind::Timestamp: {
        const QDateTime ts = value.userType() == QMetaType::QString ? parseTimestamp(value.toString())
                                                                     : normalizedTimestamp(value.toDateTime());
        return ts.isValid() ? QVariant(ts) : QVariant();
    }
    case FieldKind::Json:
        return normalizedJson(value);
    }
    return {};
}

Contact ContactNormalizer::normalized(const Contact &contact)
{
    Contact result;
    for (const FieldSpec &spec : FieldRegistry::fields())
        result.setValue(spec.index, normalizedValue(spec, contact.value(spec.index)));
    return result;
}

QString ContactNormalizer::canonicalText(const FieldSpec &spec, const QVariant &value)
{
    return canonicalTextOfNormalized(spec, normalizedValue(spec, value));
}

QString ContactNormalizer::canonicalTextOfNormalized(const FieldSpec &spec, const QVariant &normal)
{
    if (!normal.isValid())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
        return normal.toString();
    case FieldKind::Float:
        return floatText(normal.toDouble());
    case FieldKind::StringList: {
        QJsonArray array;
        for (const QString &item : normal.toStringList())
            array.append(item);
        return canonicalJson(array);
    }
    case FieldKind::Timestamp:
        return timestampText(normal.toDateTime());
    case FieldKind::Json:
        return canonicalJson(normal.value<QJsonValue>());
    }
    return {};
}

bool ContactNormalizer::valuesEqual(const FieldSpec &spec, const QVariant &a, const QVariant &b)
{
    const QVariant na = normalizedValue(spec, a);
    const QVariant nb = normalizedValue(spec, b);
    if (na.isValid() != nb.isValid())
        return false;
    return !na.isValid() || canonicalTextOfNormalized(spec, na) == canonicalTextOfNormalized(spec, nb);
}

} // namespace tf
