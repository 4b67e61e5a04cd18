#include "core/valuevalidator.h"

#include "core/contactnormalizer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace tf {

namespace {

const QChar kNul(0);

QString nulReason()
{
    return QStringLiteral("contains a NUL byte, which PostgreSQL text cannot store");
}

bool jsonHoldsNul(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().contains(kNul);
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::any_of(array.cbegin(), array.cend(), [](const QJsonValue &item) { return jsonHoldsNul(item); });
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.key().contains(kNul) || jsonHoldsNul(it.value()))
                return true;
        }
    }
    return false;
}

// UTF-8 bytes of `text` as a JSON string: quotes, two-byte escapes, \u00XX for the other control characters.
qint64 escapedBytes(const QString &text)
{
    qint64 bytes = 2;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit == '"' || unit == '\\' || unit == '\n' || unit == '\r' || unit == '\t' || unit == '\b' || unit == '\f')
            bytes += 2;
        else if (unit < 0x20)
            bytes += 6;
        else if (unit < 0x80)
            bytes += 1;
        else if (unit < 0x800 || c.isLowSurrogate())
            bytes += 2; // a low surrogate completes a 4-byte sequence begun by its high one
        else
            bytes += c.isHighSurrogate() ? 2 : 3;
    }
    return bytes;
}

} // namespace

QString RefusedValue::message() const
{
    return QStringLiteral("%1: %2 %3").arg(layerName(layer), field, reason);
}

QString ValueValidator::problem(const FieldSpec &spec, const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
        return value.toString().contains(kNul) ? nulReason() : QString();
    case FieldKind::StringList: {
        const QStringList items = value.toStringList();
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (items.at(i).contains(kNul))
                return QStringLiteral("entry %1 %2").arg(i + 1).arg(nulReason());
        }
        return {};
    }
    case FieldKind::Json: {
        const QVariant normal = ContactNormalizer::normalizedValue(spec, value);
        return normal.isValid() && jsonHoldsNul(normal.value<QJsonValue>())
            ? QStringLiteral("contains a NUL character (\\u0000), which PostgreSQL jsonb cannot store")
            : QString();
    }
    case FieldKind::Float: {
        const QVariant normal = ContactNormalizer::normalizedValue(spec, value);
        if (!normal.isValid() || std::isfinite(normal.toDouble()))
            return {};
        return QStringLiteral("is %1, which JSON and Twenty cannot carry")
            .arg(ContactNormalizer::floatText(normal.toDouble()));
    }
    case FieldKind::Timestamp:
        return {};
    }
    return {};
}

qint64 ValueValidator::carriedBytes(const FieldSpec &spec, const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return 0;
    switch (spec.kind) {
    case FieldKind::Text:
        return escapedBytes(value.toString());
    case FieldKind::StringList: {
        qint64 bytes = 0;
        for (const QString &item : value.toStringList())
            bytes += escapedBytes(item);
        return bytes;
    }
    case FieldKind::Json:
        // BigQuery takes JSON as a string parameter holding the JSON text, escaped once more.
        return escapedBytes(ContactNormalizer::canonicalText(spec, value));
    case FieldKind::Float:
    case FieldKind::Timestamp:
        return 32;
    }
    return 0;
}

QList<RefusedValue> ValueValidator::refusals(const Contact &contact, Layer layer)
{
    QList<RefusedValue> refused;
    const QMap<int, QString> &unreadable = contact.unreadable();
    qint64 contactBytes = 0;
    int listEntries = 0;
    const FieldSpec *largest = nullptr;
    qint64 largestBytes = -1;
    const FieldSpec *longestList = nullptr;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const QVariant value = contact.value(spec.index);
        if (unreadable.contains(spec.index)) {
            refused.append({layer, spec.name, unreadable.value(spec.index)});
            continue;
        }
        const QString reason = problem(spec, value);
        if (!reason.isEmpty())
            refused.append({layer, spec.name, reason});
        const qint64 bytes = carriedBytes(spec, value);
        contactBytes += bytes;
        if (bytes > largestBytes) {
            largest = &spec;
            largestBytes = bytes;
        }
        if (spec.kind == FieldKind::StringList) {
            const qsizetype entries = value.toStringList().size();
            listEntries += int(entries);
            if (!longestList || entries > contact.list(longestList->name).size())
                longestList = &spec;
        }
    }
    // Too big is the whole contact's problem; the field named is the one that makes it so.
    if (contactBytes > kMaxContactBytes && largest) {
        refused.append({layer, largest->name,
                        QStringLiteral("is %1 bytes, so the contact comes to %2 bytes, more than the %3 one BigQuery "
                                       "request carries")
                            .arg(largestBytes)
                            .arg(contactBytes)
                            .arg(kMaxContactBytes)});
    }
    if (listEntries > kMaxListEntries && longestList) {
        refused.append({layer, longestList->name,
                        QStringLiteral("has %1 entries, so the contact has %2 list entries, more than the %3 query "
                                       "parameters one BigQuery request carries")
                            .arg(contact.list(longestList->name).size())
                            .arg(listEntries)
                            .arg(kMaxListEntries)});
    }
    return refused;
}

} // namespace tf
