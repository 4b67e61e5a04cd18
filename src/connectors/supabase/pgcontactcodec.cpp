#include "connectors/supabase/pgcontactcodec.h"

#include "core/connector.h"
#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <cmath>

namespace tf {

namespace {

// The document is written as text directly: going through a QJsonObject of 31 keys took twice as long
// (~40 µs per contact with Qt 6.4.2), a cost of the same order as the server's upsert of the row.
void appendString(QByteArray &out, const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    qsizetype plain = 0; // start of the run of bytes that need no escaping
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto code = static_cast<unsigned char>(utf8.at(i));
        if (code >= 0x20 && code != '"' && code != '\\')
            continue;
        out.append(utf8.constData() + plain, i - plain);
        plain = i + 1;
        if (code >= 0x20) {
            out += '\\';
            out += char(code);
        } else {
            const char escape[] = {'\\', 'u', '0', '0', hex[code >> 4], hex[code & 0xf]};
            out.append(escape, sizeof escape);
        }
    }
    out.append(utf8.constData() + plain, utf8.size() - plain);
    out += '"';
}

void appendValue(QByteArray &out, const FieldSpec &spec, const QVariant &value)
{
    if (!value.isValid() || value.isNull()) {
        out += "null";
        return;
    }
    switch (spec.kind) {
    case FieldKind::Text:
        appendString(out, value.toString());
        return;
    case FieldKind::Float: {
        const double number = value.toDouble();
        out += std::isfinite(number) ? QByteArray::number(number, 'g', QLocale::FloatingPointShortest)
                                     : QByteArray("null"); // never sent by the engine (ValueValidator)
        return;
    }
    case FieldKind::StringList: {
        out += '[';
        const QStringList items = value.toStringList();
        for (int i = 0; i < items.size(); ++i) {
            if (i > 0)
                out += ',';
            appendString(out, items.at(i));
        }
        out += ']';
        return;
    }
    case FieldKind::Timestamp: {
        const QDateTime stamp = value.userType() == QMetaType::QString ? ContactNormalizer::parseTimestamp(value.toString())
                                                                       : value.toDateTime();
        if (stamp.isValid())
            appendString(out, ContactNormalizer::timestampText(stamp));
        else
            out += "null";
        return;
    }
    case FieldKind::Json:
        out += ContactNormalizer::canonicalJson(QJsonValue::fromVariant(value)).toUtf8();
        return;
    }
}

QVariant decodeValue(const FieldSpec &spec, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
        return value.isString() ? value.toString() : value.toVariant().toString();
    case FieldKind::Float: {
        // row_to_json writes NaN and infinities (a double precision column holds them) as strings. They are read
        // as what they are, for the engine to refuse (ValueValidator), never taken for NULL.
        if (value.isDouble())
            return value.toDouble();
        const std::optional<double> number = ContactNormalizer::parseFloat(value.toString());
        return number ? QVariant(*number) : QVariant();
    }
    case FieldKind::StringList: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items.append(item.toString());
        return items;
    }
    case FieldKind::Timestamp: {
        const QDateTime stamp = ContactNormalizer::parseTimestamp(value.toString());
        return stamp.isValid() ? QVariant(stamp) : QVariant(); // 'infinity' has no QDateTime
    }
    case FieldKind::Json:
        return QVariant::fromValue(value);
    }
    return {};
}

} // namespace

QByteArray PgContactCodec::toDocument(const Contact &contact)
{
    QByteArray out;
    out.reserve(2048);
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        out += out.isEmpty() ? '{' : ',';
        appendString(out, spec.name);
        out += ':';
        appendValue(out, spec, contact.value(spec.index));
    }
    out += '}';
    return out;
}

Contact PgContactCodec::fromDocument(const QByteArray &document, const QString &where)
{
    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(document, &error);
    if (!parsed.isObject()) {
        throw ConnectorError(Layer::Supabase, ConnectorError::Kind::Internal,
                             QStringLiteral("%1: a row is not a JSON object (%2 at byte %3)")
                                 .arg(where, error.errorString())
                                 .arg(error.offset));
    }
    const QJsonObject object = parsed.object();
    Contact contact;
    for (const FieldSpec &spec : FieldRegistry::fields())
        contact.setValue(spec.index, decodeValue(spec, object.value(spec.name)));
    return contact;
}

QString PgContactCodec::textArrayLiteral(const QStringList &items)
{
    QStringList quoted;
    quoted.reserve(items.size());
    for (QString item : items) {
        item.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        quoted << QLatin1Char('"') + item + QLatin1Char('"');
    }
    return QLatin1Char('{') + quoted.join(QLatin1Char(',')) + QLatin1Char('}');
}

} // namespace tf
