#include "connectors/bigquery/tableref.h"

#include "core/connector.h"
#include "core/syncconfig.h"

#include <QRegularExpression>

namespace tf {

namespace {

void require(const QString &value, const QRegularExpression &pattern, const QString &setting, const QString &rule)
{
    if (!pattern.match(value).hasMatch()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Configuration,
                             QStringLiteral("[bigquery] %1 = '%2' is not a valid name: %3").arg(setting, value, rule));
    }
}

} // namespace

TableRef TableRef::fromSettings(const BigQuerySettings &settings, const QString &project)
{
    // Project ids: lower-case letters, digits, hyphens (a legacy "domain.com:" prefix allowed). Dataset and table
    // names: letters, digits, underscores (§3.1). Nothing else can reach a statement or a URL path.
    static const QRegularExpression projectPattern(QStringLiteral("^([a-z0-9.-]+:)?[a-z][a-z0-9-]{0,62}$"));
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,1023}$"));
    TableRef ref{project, settings.dataset, settings.table};
    require(ref.project, projectPattern, QStringLiteral("project"),
            QStringLiteral("lower-case letters, digits or hyphens, starting with a letter"));
    require(ref.dataset, namePattern, QStringLiteral("dataset"), QStringLiteral("letters, digits and underscores"));
    require(ref.table, namePattern, QStringLiteral("table"), QStringLiteral("letters, digits and underscores"));
    return ref;
}

QString TableRef::sql() const
{
    return QStringLiteral("`%1.%2.%3`").arg(project, dataset, table);
}

QString TableRef::display() const
{
    return QStringLiteral("%1:%2.%3").arg(project, dataset, table);
}

} // namespace tf
