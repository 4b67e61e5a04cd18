#include "connectors/bigquery/bigqueryhealthcheck.h"

#include "connectors/http/clockskewcheck.h"

namespace tf {

namespace {

HealthCheck passed(const QString &name, const QString &message)
{
    return HealthCheck{name, true, false, message, QString()};
}

HealthCheck failed(const QString &name, const QString &message, const QString &hint)
{
    return HealthCheck{name, false, false, message, hint};
}

} // namespace

BigQueryHealthCheck::BigQueryHealthCheck(BigQueryClient &client, TableProvisioner &provisioner, const TableRef &table)
    : m_client(client)
    , m_provisioner(provisioner)
    , m_table(table)
{
}

QList<HealthCheck> BigQueryHealthCheck::run()
{
    const QString reachable = QStringLiteral("reachable");
    const QString credentials = QStringLiteral("credentials");
    const QString schemaName = QStringLiteral("schema");
    const BigQueryEndpoint &endpoint = m_client.endpoint();
    const QString who = endpoint.key ? QStringLiteral("service account %1").arg(endpoint.key->clientEmail)
                                     : QStringLiteral("anonymous calls (an emulator needs no credentials)");

    std::optional<QList<SchemaField>> schema;
    try {
        schema = m_provisioner.tableSchema();
    } catch (const ConnectorError &error) {
        const QString message = QString::fromUtf8(error.what());
        if (error.kind() == ConnectorError::Kind::Unreachable || error.kind() == ConnectorError::Kind::Transient) {
            return {failed(reachable, message, QStringLiteral("check the network, the proxy and [bigquery] endpoint"))};
        }
        QList<HealthCheck> checks{passed(reachable, QStringLiteral("%1 answers").arg(endpoint.describe()))};
        if (error.kind() == ConnectorError::Kind::Authentication) {
            checks << failed(credentials, message,
                             QStringLiteral("check the key file (GOOGLE_APPLICATION_CREDENTIALS), that the key is not "
                                            "revoked, and that the service account has BigQuery Data Editor and Job User"));
        } else {
            checks << passed(credentials, QStringLiteral("accepted: %1").arg(who))
                   << failed(schemaName, message, QStringLiteral("run `tfsync provision`"));
        }
        checks << clockSkew();
        return checks;
    }

    QList<HealthCheck> checks{passed(reachable, QStringLiteral("%1 answers").arg(endpoint.describe())),
                              passed(credentials, QStringLiteral("accepted: %1").arg(who))};
    if (!schema) {
        checks << failed(schemaName, QStringLiteral("table %1 does not exist").arg(m_table.display()),
                         QStringLiteral("run `tfsync provision`"));
    } else if (const QStringList problems = SchemaField::contractProblems(*schema, true); !problems.isEmpty()) {
        checks << failed(schemaName,
                         QStringLiteral("table %1 does not match the contract: %2")
                             .arg(m_table.display(), problems.join(QStringLiteral("; "))),
                         QStringLiteral("add the missing columns or fix their types (ALTER TABLE), or recreate the table"));
    } else {
        checks << passed(schemaName, QStringLiteral("table %1 has the contract's %2 columns")
                                         .arg(m_table.display())
                                         .arg(SchemaField::contractSchema().size()));
    }
    checks << clockSkew();
    return checks;
}

HealthCheck BigQueryHealthCheck::clockSkew() const
{
    return ClockSkewCheck::of(m_client.clockSkewMs(), QStringLiteral("tokens are signed with its time"));
}

} // namespace tf
