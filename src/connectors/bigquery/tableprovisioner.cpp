#include "connectors/bigquery/tableprovisioner.h"

#include "core/logging.h"

namespace tf {

namespace {

bool alreadyExists(const BigQueryReply &reply)
{
    return reply.status == 409 || reply.error.reason == QLatin1String("duplicate");
}

} // namespace

TableProvisioner::TableProvisioner(BigQueryClient &client, const TableRef &table, const QString &location)
    : m_client(client)
    , m_table(table)
    , m_location(location)
{
}

void TableProvisioner::provision()
{
    createDataset();
    if (createTable())
        return;
    const std::optional<QList<SchemaField>> schema = tableSchema();
    if (!schema) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Schema,
                             QStringLiteral("tables.insert said %1 exists, tables.get says it does not").arg(m_table.display()));
    }
    const QStringList problems = SchemaField::contractProblems(*schema, true);
    if (!problems.isEmpty()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Schema,
                             QStringLiteral("table %1 exists but does not match the contract: %2 (fix or drop it; "
                                            "provisioning never alters a table that holds data)")
                                 .arg(m_table.display(), problems.join(QStringLiteral("; "))));
    }
}

void TableProvisioner::createDataset()
{
    const QJsonObject body{{QStringLiteral("datasetReference"),
                            QJsonObject{{QStringLiteral("projectId"), m_table.project}, {QStringLiteral("datasetId"), m_table.dataset}}},
                           {QStringLiteral("location"), m_location}};
    const BigQueryReply reply = m_client.send("POST", QStringLiteral("datasets"), {}, body, QStringLiteral("datasets.insert"),
                                              m_table.project + QLatin1Char(':') + m_table.dataset);
    if (reply.ok())
        qCInfo(lcBigQuery).noquote() << "created dataset" << m_table.project + QLatin1Char(':') + m_table.dataset << "in" << m_location;
    else if (!alreadyExists(reply))
        throw reply.failure();
}

bool TableProvisioner::createTable()
{
    const QJsonObject body{
        {QStringLiteral("tableReference"),
         QJsonObject{{QStringLiteral("projectId"), m_table.project},
                     {QStringLiteral("datasetId"), m_table.dataset},
                     {QStringLiteral("tableId"), m_table.table}}},
        {QStringLiteral("description"), QStringLiteral("Truth Forge Sync canonical contacts (contract/contact-fields.tsv)")},
        {QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), SchemaField::listToJson(SchemaField::contractSchema())}}}};
    const BigQueryReply reply = m_client.send("POST", QStringLiteral("datasets/%1/tables").arg(m_table.dataset), {}, body,
                                              QStringLiteral("tables.insert"), m_table.display());
    if (reply.ok()) {
        qCInfo(lcBigQuery).noquote() << "created table" << m_table.display();
        return true;
    }
    if (!alreadyExists(reply))
        throw reply.failure();
    return false;
}

std::optional<QList<SchemaField>> TableProvisioner::tableSchema()
{
    const BigQueryReply reply = m_client.send("GET", QStringLiteral("datasets/%1/tables/%2").arg(m_table.dataset, m_table.table),
                                              {}, {}, QStringLiteral("tables.get"), m_table.display());
    if (reply.status == 404)
        return std::nullopt;
    if (!reply.ok())
        throw reply.failure();
    return SchemaField::listFromJson(reply.body.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")),
                                     QStringLiteral("tables.get (%1)").arg(m_table.display()));
}

} // namespace tf
