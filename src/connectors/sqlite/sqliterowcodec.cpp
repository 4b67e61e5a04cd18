#include "connectors/sqlite/sqliterowcodec.h"

#include "core/contactnormalizer.h"
#include "core/logging.h"
#include "core/utf8text.h"

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

QVariant SqliteRowCodec::fromColumn(const FieldSpec &spec, const QVariant &column, const QString &contactId,
                                    QString *unreadable)
{
    if (column.isNull())
        return {};
    const QString raw = column.toString();
    const auto refuse = [&](const QString &problem) {
        warn(contactId, spec, problem + QStringLiteral(", not carried:"), raw);
        if (unreadable)
            *unreadable = problem + QStringLiteral(": '%1'").arg(raw.left(80));
        return QVariant();
    };
    switch (spec.kind) {
    case FieldKind::Text:
        return raw;
    case FieldKind::Float: {
        // REAL holds a double (infinities too); text typed into the column ('NaN', '0.5') stays text.
        std::optional<double> number;
        if (column.userType() == QMetaType::QString || column.userType() == QMetaType::QByteArray) {
            number = ContactNormalizer::parseFloat(raw);
        } else {
            bool ok = false;
            const double stored = column.toDouble(&ok);
            if (ok)
                number = stored;
        }
        return number ? QVariant(*number) : refuse(QStringLiteral("is not a number"));
    }
    case FieldKind::Timestamp: {
        const QDateTime parsed = ContactNormalizer::parseTimestamp(raw);
        return parsed.isValid() ? QVariant(parsed) : refuse(QStringLiteral("is not an ISO-8601 timestamp"));
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
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        QVariant column = query.value(spec.index);
        QString unreadable;
        if (column.userType() == QMetaType::QByteArray) {
            // SQLite keeps the bytes a program bound to a TEXT column, UTF-8 or not (SqliteSchema::selectList).
            const QByteArray bytes = column.toByteArray();
            const DecodedText decoded = Utf8Text::decode(bytes);
            if (!decoded.valid()) {
                unreadable = QStringLiteral("is not valid UTF-8 at byte %1 (0x%2); PostgreSQL, BigQuery and Twenty "
                                            "store only UTF-8 text")
                                 .arg(decoded.invalidAt)
                                 .arg(static_cast<unsigned char>(bytes.at(decoded.invalidAt)), 2, 16, QLatin1Char('0'));
                warn(id, spec, QStringLiteral("is not valid UTF-8, not carried:"), decoded.text);
            }
            column = decoded.text;
        }
        // Text that is not UTF-8 keeps its mended form as a stand-in for display; it is never carried.
        contact.setValue(spec.index, fromColumn(spec, column, id, unreadable.isEmpty() ? &unreadable : nullptr));
        if (!unreadable.isEmpty())
            contact.markUnreadable(spec.index, unreadable);
    }
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
