#include "connectors/sqlite/sqliterowcodec.h"

#include "core/contactnormalizer.h"
#include "core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf {

QString SqliteRowCodec::timestampText(const QDateTime &timestamp)
{
    return timestamp.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z");
}

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
    switch (spec.kind) {
    case FieldKind::Text:
        return column.toString();
    case FieldKind::Float: {
        bool ok = false;
        const double number = column.toDouble(&ok);
        if (!ok)
            qCWarning(lcLocal).noquote() << "contact" << contactId << "field" << spec.name << "is not a number:" << column.toString();
        return ok ? QVariant(number) : QVariant();
    }
    case FieldKind::Timestamp: {
        const QDateTime parsed = ContactNormalizer::parseTimestamp(column.toString());
        if (!parsed.isValid())
            qCWarning(lcLocal).noquote() << "contact" << contactId << "field" << spec.name << "is not a timestamp:" << column.toString();
        return parsed.isValid() ? QVariant(parsed) : QVariant();
    }
    case FieldKind::StringList: {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(column.toString().toUtf8(), &error);
        if (!document.isArray()) {
            qCWarning(lcLocal).noquote() << "contact" << contactId << "field" << spec.name
                                         << "is not a JSON array; kept as one entry:" << column.toString().left(200);
            return QStringList{column.toString()};
        }
        QStringList items;
        for (const QJsonValue &item : document.array())
            items.append(item.isString() ? item.toString() : ContactNormalizer::canonicalJson(item));
        return items;
    }
    case FieldKind::Json: {
        const QVariant json = ContactNormalizer::normalizedValue(spec, column.toString());
        if (json.isValid() && json.value<QJsonValue>().isString() && !column.toString().startsWith(QLatin1Char('"')))
            qCWarning(lcLocal).noquote() << "contact" << contactId << "field" << spec.name
                                         << "holds text that is not JSON; kept as a JSON string";
        return json;
    }
    }
    return {};
}

Contact SqliteRowCodec::fromRecord(const QSqlRecord &record)
{
    Contact contact;
    const QString id = record.value(field::ContactId).toString();
    for (const FieldSpec &spec : FieldRegistry::fields())
        contact.setValue(spec.index, fromColumn(spec, record.value(spec.name), id));
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
