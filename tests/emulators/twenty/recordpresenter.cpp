#include "twenty/recordpresenter.h"

#include "twenty/apierror.h"

#include <QJsonArray>
#include <algorithm>

namespace tf::emu {

RecordPresenter::RecordPresenter(const Workspace &workspace, const ObjectSchema &schema, EmptyText mode)
    : m_workspace(workspace)
    , m_schema(schema)
    , m_mode(mode)
    , m_defaults(schema, mode)
{
}

QStringList RecordPresenter::parseFields(const QString &parameter, const ObjectSchema &schema)
{
    QStringList names;
    for (const QString &part : parameter.split(QLatin1Char(','))) {
        const QString name = part.trimmed();
        if (!name.isEmpty() && !names.contains(name))
            names.append(name);
    }
    if (names.isEmpty()) {
        throw ApiError::badRequest(QStringLiteral(
            "'fields' parameter is empty. Expected a comma-separated list of field names, e.g. fields=id,name"));
    }
    QStringList unknown;
    for (const QString &name : names) {
        if (!schema.activeField(name))
            unknown.append(name);
    }
    if (!unknown.isEmpty()) {
        throw ApiError::badRequest(QStringLiteral("'fields' parameter invalid. Unknown or unreadable fields on '%1': %2")
                                       .arg(schema.nameSingular(), unknown.join(QStringLiteral(", "))));
    }
    return names;
}

QJsonObject RecordPresenter::present(const QJsonObject &stored, int depth, const QStringList &fields) const
{
    QJsonObject record = m_defaults.defaults();
    for (auto it = record.begin(); it != record.end(); ++it) {
        const QJsonValue value = stored.value(it.key());
        if (!value.isUndefined())
            it.value() = value;
    }
    if (depth > 0) {
        for (const FieldDefinition *field : m_schema.activeFields()) {
            if (field->type == FieldType::Relation)
                record.insert(field->name, related(*field, stored));
        }
    }
    if (fields.isEmpty())
        return record;
    QJsonObject selected{{QStringLiteral("id"), record.value(QStringLiteral("id"))}};
    for (const QString &name : fields) {
        const FieldDefinition *field = m_schema.activeField(name);
        if (field->isManyToOne())
            selected.insert(field->joinColumn, record.value(field->joinColumn));
        if (record.contains(name))
            selected.insert(name, record.value(name));
    }
    return selected;
}

QJsonValue RecordPresenter::related(const FieldDefinition &relation, const QJsonObject &stored) const
{
    const ObjectSchema *target = m_workspace.metadata().objectBySingular(relation.relationTarget);
    if (!target)
        return QJsonValue::Null;
    const RecordPresenter presenter(m_workspace, *target, m_mode);
    const RecordStore &store = m_workspace.store(target->nameSingular());
    if (relation.isManyToOne()) {
        const QJsonObject *row = store.find(stored.value(relation.joinColumn).toString());
        if (!row || !row->value(QStringLiteral("deletedAt")).isNull())
            return QJsonValue::Null;
        return presenter.present(*row);
    }
    // One-to-many: the rows of the other side whose join column points here.
    const FieldDefinition *back = nullptr;
    for (const FieldDefinition *candidate : target->activeFields()) {
        if (candidate->isManyToOne() && candidate->relationTarget == m_schema.nameSingular())
            back = candidate;
    }
    QList<QJsonObject> rows;
    const QString id = stored.value(QStringLiteral("id")).toString();
    for (const QJsonObject &row : store.records()) {
        if (back && row.value(back->joinColumn).toString() == id && row.value(QStringLiteral("deletedAt")).isNull())
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("id")).toString() < b.value(QStringLiteral("id")).toString();
    });
    QJsonArray list;
    for (const QJsonObject &row : rows)
        list.append(presenter.present(row));
    return list;
}

} // namespace tf::emu
