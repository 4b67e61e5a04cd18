#include "twenty/objectschema.h"

#include <QCryptographicHash>

namespace tf::emu {

namespace {

QString capitalized(const QString &name)
{
    return name.isEmpty() ? name : name.at(0).toUpper() + name.mid(1);
}

// Twenty names unique indexes IDX_UNIQUE_<27 hex>; person.emailsPrimaryEmail's is the one seen in issues #11037
// and #11042 (§5). Others get a stable name of the same shape.
QString constraintFor(const QString &object, const QString &column)
{
    if (object == QLatin1String("person") && column == QLatin1String("emailsPrimaryEmail"))
        return QStringLiteral("IDX_UNIQUE_87914cd3ce963115f8cb943e2ac");
    const QByteArray digest =
        QCryptographicHash::hash((object + QLatin1Char('_') + column).toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("IDX_UNIQUE_") + QString::fromLatin1(digest.left(27));
}

} // namespace

ObjectSchema::ObjectSchema(QString id, QString nameSingular, QString namePlural, QString labelSingular,
                           QString labelPlural)
    : m_id(std::move(id))
    , m_nameSingular(std::move(nameSingular))
    , m_namePlural(std::move(namePlural))
    , m_labelSingular(std::move(labelSingular))
    , m_labelPlural(std::move(labelPlural))
{
}

void ObjectSchema::addField(const FieldDefinition &field)
{
    m_fields.append(field);
}

FieldDefinition *ObjectSchema::field(const QString &name)
{
    for (FieldDefinition &field : m_fields) {
        if (field.name == name)
            return &field;
    }
    return nullptr;
}

const FieldDefinition *ObjectSchema::field(const QString &name) const
{
    return const_cast<ObjectSchema *>(this)->field(name);
}

bool ObjectSchema::removeField(const QString &name)
{
    for (qsizetype i = 0; i < m_fields.size(); ++i) {
        if (m_fields.at(i).name == name) {
            m_fields.removeAt(i);
            return true;
        }
    }
    return false;
}

const FieldDefinition *ObjectSchema::activeField(const QString &name) const
{
    const FieldDefinition *found = field(name);
    return found && found->isActive ? found : nullptr;
}

const FieldDefinition *ObjectSchema::activeFieldByJoinColumn(const QString &column) const
{
    for (const FieldDefinition &field : m_fields) {
        if (field.isActive && field.isManyToOne() && field.joinColumn == column)
            return &field;
    }
    return nullptr;
}

QList<const FieldDefinition *> ObjectSchema::activeFields() const
{
    QList<const FieldDefinition *> active;
    for (const FieldDefinition &field : m_fields) {
        if (field.isActive)
            active.append(&field);
    }
    return active;
}

QList<UniqueKey> ObjectSchema::uniqueKeys() const
{
    QList<UniqueKey> keys;
    for (const FieldDefinition *field : activeFields()) {
        if (!field->isUnique || field->name == QLatin1String("id"))
            continue;
        if (field->type == FieldType::Emails) {
            keys.append({field->name + QStringLiteral(".primaryEmail"),
                         constraintFor(m_nameSingular, field->name + QStringLiteral("PrimaryEmail"))});
        } else if (field->type == FieldType::Links) {
            keys.append({field->name + QStringLiteral(".primaryLinkUrl"),
                         constraintFor(m_nameSingular, field->name + QStringLiteral("PrimaryLinkUrl"))});
        } else if (field->type == FieldType::Phones) {
            keys.append({field->name + QStringLiteral(".primaryPhoneNumber"),
                         constraintFor(m_nameSingular, field->name + QStringLiteral("PrimaryPhoneNumber"))});
        } else if (!isComposite(field->type)) {
            keys.append({field->name, constraintFor(m_nameSingular, field->name)});
        }
    }
    return keys;
}

QJsonObject ObjectSchema::toJson(const QString &createdAt) const
{
    const FieldDefinition *labelIdentifier = field(QStringLiteral("name"));
    return QJsonObject{{QStringLiteral("id"), m_id},
                       {QStringLiteral("nameSingular"), m_nameSingular},
                       {QStringLiteral("namePlural"), m_namePlural},
                       {QStringLiteral("labelSingular"), m_labelSingular},
                       {QStringLiteral("labelPlural"), m_labelPlural},
                       {QStringLiteral("description"), QJsonValue()},
                       {QStringLiteral("icon"), QStringLiteral("Icon") + capitalized(m_nameSingular)},
                       {QStringLiteral("isCustom"), false},
                       {QStringLiteral("isActive"), true},
                       {QStringLiteral("isSystem"), false},
                       {QStringLiteral("isRemote"), false},
                       {QStringLiteral("labelIdentifierFieldMetadataId"),
                        labelIdentifier ? QJsonValue(labelIdentifier->id) : QJsonValue()},
                       {QStringLiteral("createdAt"), createdAt},
                       {QStringLiteral("updatedAt"), createdAt}};
}

} // namespace tf::emu
