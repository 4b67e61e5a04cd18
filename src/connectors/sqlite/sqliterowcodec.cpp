#include "connectors/sqlite/sqliterowcodec.h"

#include "core/contactnormalizer.h"
#include "core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace tf {

namespace {

QString timestampText(const QDateTime &timestamp)
{
    // Contract values carry milliseconds (ContactNormalizer); the column's layout has six digits.
    return timestamp.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z");
}

void warn(const QString &contactId, const FieldSpec &spec, const QString &problem, const QString &raw)
{
    qCWarning(lcLocal).noquote() << "contact" << contactId << "field" << spec.name << problem << raw.left(200);
}

} // namespace

QVariant SqliteRowCodec::toColumn(const FieldSpec &spec, const QVariant &value)
{
    const QVariant normal = ContactNormalizer::normalizedValue(spec, value);
    if (!normal.isValid())
        return QVariant(spec.kind == FieldKind::Float ? QMetaType(QMetaType::Double) : QMetaType(QMetaType::QString));
    switch (spec.kind) {
    case FieldKind::Text:
        return normal.toString();
    case FieldKind::Float:
        return normal.toDouble();
    case FieldKind::Timestamp:
        return timestampText(normal.toDateTime());
    case FieldKind::StringList:
    case FieldKind::Json:
        return ContactNormalizer::canonicalTextOfNormalized(spec, normal);
    }
    return {};
}

QVariant SqliteRowCodec::fromColumn(const FieldSpec &spec, const QVariant &column, const QString &contactId)
{
    if (column.isNull())
        return {};
    const QString raw = column.toString();
    switch (spec.kind) {
    case FieldKind::Text:
        return raw;
    case FieldKind::Float: {
        bool ok = false;
        const double number = column.toDouble(&ok);
        if (!ok)
            warn(contactId, spec, QStringLiteral("is not a number, read as NULL:"), raw);
        return ok ? QVariant(number) : QVariant();
    }
    case FieldKind::Timestamp: {
        const QDateTime parsed = ContactNormalizer::parseTimestamp(raw);
        if (!parsed.isValid())
            warn(contactId, spec, QStringLiteral("is not an ISO-8601 timestamp, read as NULL:"), raw);
        return parsed.isValid() ? QVariant(parsed) : QVariant();
    }
    case FieldKind::StringList: {
        const QJsonDocument document = QJsonDocument::fromJson(raw.toUtf8());
        if (!document.isArray()) {
            warn(contactId, spec, QStringLiteral("is not a JSON array, kept as one entry:"), raw);
            return QStringList{raw};
        }
        QStringList items;
        for (const QJsonValue &item : document.array())
            items.append(item.isString() ? item.toString() : ContactNormalizer::canonicalJson(item));
        return items;
    }
    case FieldKind::Json: {
        // The same test the normalizer applies (any JSON value, scalars too); it keeps failing text as a string.
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson('[' + raw.toUtf8() + ']', &error);
        if (error.error != QJsonParseError::NoError || document.array().size() != 1)
            warn(contactId, spec, QStringLiteral("is not JSON, kept as a JSON string:"), raw);
        return ContactNormalizer::normalizedValue(spec, raw);
    }
    }
    return {};
}

Contact SqliteRowCodec::fromRow(const QSqlQuery &query)
{
    Contact contact;
    const QString id = query.value(FieldRegistry::indexOf(field::ContactId)).toString();
    for (const FieldSpec &spec : FieldRegistry::fields())
        contact.setValue(spec.index, fromColumn(spec, query.value(spec.index), id));
    return contact;
}

Contact SqliteRowCodec::fromJsonRow(const QJsonObject &row)
{
    Contact contact;
    const QString id = row.value(field::ContactId).toString();
    for (const FieldSpec &spec : FieldRegistry::fields())
        contact.setValue(spec.index, fromColumn(spec, row.value(spec.name).toVariant(), id));
    return contact;
}

} // namespace tf
