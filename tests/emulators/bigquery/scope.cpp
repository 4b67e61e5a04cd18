#include "bigquery/scope.h"

#include "bigquery/googleerror.h"

namespace tf::emu {

namespace {

std::optional<ScopeColumn> columnOf(const RangeVariable &range, const QString &name)
{
    for (const ScopeColumn &column : range.columns) {
        if (column.name.compare(name, Qt::CaseInsensitive) == 0)
            return column;
    }
    return std::nullopt;
}

} // namespace

Scope::Resolution Scope::resolve(const QStringList &path, const SqlToken &at) const
{
    const QString &first = path.first();
    for (const RangeVariable &range : m_ranges) {
        if (range.alias.isEmpty() || range.alias.compare(first, Qt::CaseInsensitive) != 0)
            continue;
        if (range.value)
            return Resolution{*range.value, 1};
        if (path.size() < 2) {
            throw GoogleError::invalidQuery(
                QStringLiteral("tf-bigquery-emulator does not support the range variable %1 as a value at %2").arg(first, at.position()));
        }
        if (const std::optional<ScopeColumn> column = columnOf(range, path.at(1)))
            return Resolution{*column, 2};
        throw GoogleError::invalidQuery(QStringLiteral("Name %1 not found inside %2 at %3").arg(path.at(1), first, at.position()));
    }
    std::optional<ScopeColumn> found;
    for (const RangeVariable &range : m_ranges) {
        if (range.value)
            continue;
        if (const std::optional<ScopeColumn> column = columnOf(range, first)) {
            if (found)
                throw GoogleError::invalidQuery(QStringLiteral("Column name %1 is ambiguous at %2").arg(first, at.position()));
            found = column;
        }
    }
    if (!found)
        throw GoogleError::invalidQuery(QStringLiteral("Unrecognized name: %1 at %2").arg(first, at.position()));
    return Resolution{*found, 1};
}

} // namespace tf::emu
