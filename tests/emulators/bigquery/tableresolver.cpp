#include "bigquery/tableresolver.h"

#include "bigquery/googleerror.h"

namespace tf::emu {

TableResolver::TableResolver(const Catalog &catalog, const QueryContext &context)
    : m_catalog(catalog)
    , m_context(context)
{
}

QStringList TableResolver::qualify(const TableName &name, const QueryContext &context)
{
    const QStringList &path = name.path;
    if (path.size() == 3)
        return path;
    if (path.size() == 2)
        return {context.project, path.at(0), path.at(1)};
    if (context.defaultDataset.isEmpty()) {
        throw GoogleError::invalidQuery(
            QStringLiteral("Table name \"%1\" missing dataset while no default dataset is set in the request.").arg(path.first()));
    }
    return {context.defaultProject.isEmpty() ? context.project : context.defaultProject, context.defaultDataset, path.first()};
}

TableInfo TableResolver::resolve(const TableName &name)
{
    const QStringList parts = qualify(name, m_context);
    const QString location = m_context.location.isEmpty() ? QStringLiteral("US") : m_context.location;
    const std::optional<DatasetInfo> dataset = m_catalog.dataset(parts.at(0), parts.at(1));
    // A dataset in another location is invisible to a job there (§3.3: "was not found in location EU").
    if (!dataset || (!m_context.location.isEmpty() && dataset->location.compare(location, Qt::CaseInsensitive) != 0)) {
        throw GoogleError::notFound(
            QStringLiteral("Not found: Dataset %1:%2 was not found in location %3").arg(parts.at(0), parts.at(1), location));
    }
    const std::optional<TableInfo> table = m_catalog.table(parts.at(0), parts.at(1), parts.at(2));
    if (!table) {
        throw GoogleError::notFound(QStringLiteral("Not found: Table %1:%2.%3 was not found in location %4")
                                        .arg(parts.at(0), parts.at(1), parts.at(2), location));
    }
    if (std::none_of(m_used.begin(), m_used.end(), [&](const TableInfo &used) { return used.id() == table->id(); }))
        m_used.append(*table);
    return *table;
}

} // namespace tf::emu
