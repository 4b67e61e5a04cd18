#include "connectors/twenty/twentyfieldprovisioner.h"

#include "connectors/twenty/twentyclient.h"
#include "core/fieldregistry.h"

#include <QJsonObject>

namespace tf {

namespace {

const QString kObjectsPath = QStringLiteral("/rest/metadata/objects");
const QString kFieldsPath = QStringLiteral("/rest/metadata/fields");

// "relationship_strength" → "TF Relationship Strength": the prefix keeps our labels apart from Twenty's own
// (person already has a "Notes" relation).
QString labelFor(const FieldSpec &spec)
{
    QStringList words = spec.name.split(QLatin1Char('_'));
    for (QString &word : words)
        word[0] = word[0].toUpper();
    return QStringLiteral("TF ") + words.join(QLatin1Char(' '));
}

} // namespace

QString TwentyFieldState::problem() const
{
    if (missing())
        return QStringLiteral("%1 (%2) is missing").arg(name, type);
    if (actualType != type)
        return QStringLiteral("%1 is %2, the contract says %3").arg(name, actualType, type);
    if (!active)
        return QStringLiteral("%1 is deactivated").arg(name);
    if (unique && !actualUnique)
        return QStringLiteral("%1 is not unique").arg(name);
    return {};
}

TwentyFieldProvisioner::TwentyFieldProvisioner(TwentyClient &client)
    : m_client(client)
{
}

QString TwentyFieldProvisioner::personObjectId()
{
    for (const QJsonValue &row : m_client.all(kObjectsPath, QStringLiteral("objects"), {})) {
        const QJsonObject object = row.toObject();
        if (object.value(QStringLiteral("nameSingular")).toString() == QLatin1String("person"))
            return object.value(QStringLiteral("id")).toString();
    }
    throw ConnectorError(Layer::Crm, ConnectorError::Kind::Schema,
                         QStringLiteral("GET %1: the workspace has no object named 'person'").arg(kObjectsPath));
}

QList<TwentyFieldState> TwentyFieldProvisioner::inspect()
{
    return inspect(personObjectId());
}

// Creating and patching answer either {"data":{...}} or the bare entity, by server version (§4.2): only the
// status matters here.
void TwentyFieldProvisioner::require(const TwentyReply &reply)
{
    if (!reply.ok())
        throw m_client.error(reply);
}

QList<TwentyFieldState> TwentyFieldProvisioner::inspect(const QString &personId)
{
    QHash<QString, QJsonObject> existing;
    for (const QJsonValue &row : m_client.all(kFieldsPath, QStringLiteral("fields"), {})) {
        const QJsonObject field = row.toObject();
        const QJsonValue owner = field.value(QStringLiteral("objectMetadataId"));
        if (owner.isUndefined() || owner.toString() == personId)
            existing.insert(field.value(QStringLiteral("name")).toString(), field);
    }
    QList<TwentyFieldState> states;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const TwentyMapping mapping = spec.twentyMapping();
        if (!mapping.custom)
            continue;
        TwentyFieldState state;
        state.contractField = spec.name;
        state.name = mapping.name;
        state.type = mapping.customType;
        state.unique = mapping.unique;
        const QJsonObject field = existing.value(mapping.name);
        if (!field.isEmpty()) {
            state.fieldId = field.value(QStringLiteral("id")).toString();
            state.actualType = field.value(QStringLiteral("type")).toString();
            state.actualUnique = field.value(QStringLiteral("isUnique")).toBool();
            state.active = field.value(QStringLiteral("isActive")).toBool(true);
        }
        states.append(state);
    }
    return states;
}

QStringList TwentyFieldProvisioner::provision()
{
    const QString personId = personObjectId();
    QStringList created;
    for (const TwentyFieldState &state : inspect(personId)) {
        if (!state.missing() && (state.actualType != state.type || !state.active)) {
            throw ConnectorError(Layer::Crm, ConnectorError::Kind::Schema,
                                 QStringLiteral("custom field %1; fix it in Twenty's settings (Data model → People), "
                                                "the sync does not change a field that may hold data")
                                     .arg(state.problem()));
        }
        if (state.missing()) {
            const FieldSpec &spec = FieldRegistry::field(state.contractField);
            QJsonObject body{{QStringLiteral("objectMetadataId"), personId},
                             {QStringLiteral("type"), state.type},
                             {QStringLiteral("name"), state.name},
                             {QStringLiteral("label"), labelFor(spec)},
                             {QStringLiteral("description"),
                              QStringLiteral("Truth Forge Sync: contract field %1").arg(spec.name)},
                             {QStringLiteral("isNullable"), true},
                             {QStringLiteral("isLabelSyncedWithName"), false}};
            if (state.unique)
                body.insert(QStringLiteral("isUnique"), true);
            require(m_client.send("POST", kFieldsPath, {}, body));
            created.append(state.name);
        } else if (state.unique && !state.actualUnique) {
            require(m_client.send("PATCH", kFieldsPath + QLatin1Char('/') + state.fieldId, {},
                                  QJsonObject{{QStringLiteral("isUnique"), true}}));
        }
    }
    return created;
}

} // namespace tf
