#include "bigquery/fieldschema.h"

#include "bigquery/googleerror.h"

#include <QRegularExpression>
#include <QSet>

namespace tf::emu {

namespace {

QString modeName(FieldSchema::Mode mode)
{
    switch (mode) {
    case FieldSchema::Mode::Required:
        return QStringLiteral("REQUIRED");
    case FieldSchema::Mode::Repeated:
        return QStringLiteral("REPEATED");
    case FieldSchema::Mode::Nullable:
        break;
    }
    return QStringLiteral("NULLABLE");
}

FieldSchema fieldFromJson(const QJsonValue &value, const QString &prefix)
{
    const QJsonObject object = value.toObject();
    FieldSchema field;
    field.name = object.value(QStringLiteral("name")).toString();
    // Column names (§3.1): letters, digits, underscores, not starting with a digit, at most 300 characters.
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!validName.match(field.name).hasMatch() || field.name.size() > 300) {
        throw GoogleError::invalid(
            QStringLiteral("Invalid field name \"%1\". Fields must contain the allowed characters, and be at most 300 "
                           "characters long. For allowed characters, please refer to "
                           "https://cloud.google.com/bigquery/docs/schemas#column_names")
                .arg(prefix + field.name));
    }
    const QString type = object.value(QStringLiteral("type")).toString().toUpper();
    if (type == QLatin1String("RECORD") || type == QLatin1String("STRUCT")) {
        field.kind = TypeKind::Struct;
    } else if (const std::optional<TypeKind> kind = SqlType::scalarKind(type)) {
        field.kind = *kind;
    } else if (type.isEmpty()) {
        throw GoogleError::invalid(QStringLiteral("Field %1 has no type.").arg(prefix + field.name));
    } else {
        throw GoogleError::invalid(QStringLiteral("Invalid value for type: %1 is not a valid value").arg(type));
    }
    const QString mode = object.value(QStringLiteral("mode")).toString().toUpper();
    if (mode == QLatin1String("REQUIRED"))
        field.mode = FieldSchema::Mode::Required;
    else if (mode == QLatin1String("REPEATED"))
        field.mode = FieldSchema::Mode::Repeated;
    else if (!mode.isEmpty() && mode != QLatin1String("NULLABLE"))
        throw GoogleError::invalid(QStringLiteral("Invalid value for mode: %1 is not a valid value").arg(mode));
    field.description = object.value(QStringLiteral("description")).toString();
    if (field.kind == TypeKind::Struct) {
        const QJsonArray members = object.value(QStringLiteral("fields")).toArray();
        if (members.isEmpty())
            throw GoogleError::invalid(QStringLiteral("Field %1 is type RECORD but has no schema").arg(prefix + field.name));
        QSet<QString> seen;
        for (const QJsonValue &member : members) {
            FieldSchema child = fieldFromJson(member, prefix + field.name + QLatin1Char('.'));
            if (seen.contains(child.name.toLower()))
                throw GoogleError::invalid(QStringLiteral("Field %1 already exists in schema").arg(prefix + field.name + QLatin1Char('.') + child.name));
            seen.insert(child.name.toLower());
            field.fields.append(child);
        }
    }
    return field;
}

} // namespace

SqlType FieldSchema::baseType() const
{
    if (kind != TypeKind::Struct)
        return SqlType::scalar(kind);
    QList<StructMember> members;
    for (const FieldSchema &field : fields)
        members.append({field.name, field.valueType()});
    return SqlType::structOf(members);
}

SqlType FieldSchema::valueType() const
{
    return repeated() ? SqlType::arrayOf(baseType()) : baseType();
}

QJsonObject FieldSchema::toJson() const
{
    QJsonObject object{{QStringLiteral("name"), name},
                       {QStringLiteral("type"), SqlType::scalar(kind).legacyName()},
                       {QStringLiteral("mode"), modeName(mode)}};
    if (!description.isEmpty())
        object.insert(QStringLiteral("description"), description);
    if (kind == TypeKind::Struct)
        object.insert(QStringLiteral("fields"), listToJson(fields));
    return object;
}

QJsonArray FieldSchema::listToJson(const QList<FieldSchema> &fields)
{
    QJsonArray array;
    for (const FieldSchema &field : fields)
        array.append(field.toJson());
    return array;
}

QList<FieldSchema> FieldSchema::listFromJson(const QJsonValue &fields)
{
    QList<FieldSchema> result;
    QSet<QString> seen;
    for (const QJsonValue &value : fields.toArray()) {
        FieldSchema field = fieldFromJson(value, QString());
        if (seen.contains(field.name.toLower()))
            throw GoogleError::invalid(QStringLiteral("Field %1 already exists in schema").arg(field.name));
        seen.insert(field.name.toLower());
        result.append(field);
    }
    return result;
}

FieldSchema FieldSchema::fromType(const QString &name, const SqlType &type, bool required)
{
    FieldSchema field;
    field.name = name;
    const SqlType &base = type.isArray() ? type.element() : type;
    field.kind = base.kind();
    field.mode = type.isArray() ? Mode::Repeated : required ? Mode::Required : Mode::Nullable;
    for (const StructMember &member : base.members())
        field.fields.append(fromType(member.name, member.type));
    return field;
}

qsizetype FieldSchema::indexOf(const QList<FieldSchema> &fields, const QString &name)
{
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (fields.at(i).name.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

} // namespace tf::emu
