#include "connectors/bigquery/schemafield.h"

#include "core/connector.h"
#include "core/fieldregistry.h"

#include <QJsonDocument>

namespace tf {

QString SchemaField::canonicalType(const QString &type)
{
    const QString upper = type.toUpper();
    if (upper == QLatin1String("INTEGER"))
        return QStringLiteral("INT64");
    if (upper == QLatin1String("FLOAT"))
        return QStringLiteral("FLOAT64");
    if (upper == QLatin1String("BOOLEAN"))
        return QStringLiteral("BOOL");
    if (upper == QLatin1String("RECORD"))
        return QStringLiteral("STRUCT");
    return upper;
}

QString SchemaField::describe() const
{
    return mode == QLatin1String("NULLABLE") ? type : type + QLatin1Char(' ') + mode;
}

QJsonObject SchemaField::toJson() const
{
    QJsonObject object{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("mode"), mode}};
    if (!fields.isEmpty())
        object.insert(QStringLiteral("fields"), listToJson(fields));
    return object;
}

QJsonArray SchemaField::listToJson(const QList<SchemaField> &fields)
{
    QJsonArray array;
    for (const SchemaField &field : fields)
        array.append(field.toJson());
    return array;
}

QList<SchemaField> SchemaField::listFromJson(const QJsonValue &fields, const QString &context)
{
    if (!fields.isArray() && !fields.isUndefined()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                             QStringLiteral("%1: schema.fields is not a list").arg(context));
    }
    QList<SchemaField> result;
    for (const QJsonValue &value : fields.toArray()) {
        const QJsonObject object = value.toObject();
        SchemaField field;
        field.name = object.value(QStringLiteral("name")).toString();
        field.type = canonicalType(object.value(QStringLiteral("type")).toString());
        // Absent mode means NULLABLE (§1.2).
        const QString mode = object.value(QStringLiteral("mode")).toString().toUpper();
        if (!mode.isEmpty())
            field.mode = mode;
        if (field.name.isEmpty() || field.type.isEmpty()) {
            throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal,
                                 QStringLiteral("%1: a schema field without name or type: %2")
                                     .arg(context, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact))));
        }
        if (field.type == QLatin1String("STRUCT"))
            field.fields = listFromJson(object.value(QStringLiteral("fields")), context + QLatin1Char('.') + field.name);
        result.append(field);
    }
    return result;
}

SchemaField SchemaField::fromContract(const FieldSpec &spec)
{
    SchemaField field;
    field.name = spec.name;
    field.type = canonicalType(spec.bigqueryBaseType());
    field.mode = spec.bigqueryMode();
    return field;
}

QList<SchemaField> SchemaField::contractSchema()
{
    QList<SchemaField> schema;
    for (const FieldSpec &spec : FieldRegistry::fields())
        schema.append(fromContract(spec));
    return schema;
}

QStringList SchemaField::contractProblems(const QList<SchemaField> &actual, bool compareModes)
{
    QStringList problems;
    for (const SchemaField &wanted : contractSchema()) {
        const auto found = std::find_if(actual.begin(), actual.end(), [&wanted](const SchemaField &field) {
            return field.name.compare(wanted.name, Qt::CaseInsensitive) == 0; // column names ignore case
        });
        if (found == actual.end()) {
            problems.append(QStringLiteral("missing column %1 (%2)").arg(wanted.name, wanted.describe()));
            continue;
        }
        const bool modeDiffers = compareModes ? found->mode != wanted.mode : found->repeated() != wanted.repeated();
        if (found->type != wanted.type || modeDiffers) {
            problems.append(QStringLiteral("column %1 is %2, the contract says %3")
                                .arg(wanted.name, found->describe(), wanted.describe()));
        }
    }
    return problems;
}

} // namespace tf
