#pragma once

#include "twenty/recordinputprocessor.h"
#include "twenty/workspace.h"

namespace tf::emu {

// A stored record as the REST API returns it (§2.3, §4.1): every active field (a field created after the record was
// written at its default), custom fields as top-level keys, relations' join columns at depth 0 and the related
// records themselves at depth 1, optionally narrowed to `fields` (§2.1).
class RecordPresenter
{
public:
    RecordPresenter(const Workspace &workspace, const ObjectSchema &schema, EmptyText mode);

    QJsonObject present(const QJsonObject &stored, int depth = 0, const QStringList &fields = {}) const;

    // The `fields` query parameter's names, checked (§2.1: unknown names are a 400).
    static QStringList parseFields(const QString &parameter, const ObjectSchema &schema);

private:
    QJsonValue related(const FieldDefinition &relation, const QJsonObject &stored) const;

    const Workspace &m_workspace;
    const ObjectSchema &m_schema;
    EmptyText m_mode;
    RecordInputProcessor m_defaults;
};

} // namespace tf::emu
