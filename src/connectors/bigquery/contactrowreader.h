#pragma once

#include "connectors/bigquery/schemafield.h"
#include "core/connector.h"

#include <optional>

namespace tf {

// Contacts from the rows of a SELECT of the contract's columns (ContactStatements::columnList()), cells decoded
// by CellDecoder and converted to the engine's value types (contact.h). JSON null, empty arrays and "" become NULL,
// as the contract's kinds define them; NaN and infinite floats stay themselves, for the engine to refuse.
class ContactRowReader
{
public:
    // Throws ConnectorError (Schema) naming every column of the result that is missing or not the contract's type;
    // `context` ("jobs.query (read changes from p:d.t, job j)") prefixes every error.
    ContactRowReader(const QList<SchemaField> &schema, const QString &context);

    // Throws ConnectorError (Internal) naming the context, the row number and the column of a malformed cell.
    Contact contact(const QJsonValue &row, int rowNumber) const;
    // The row's updated_at in BigQuery's microseconds (the watermark's precision); nullopt for NULL.
    std::optional<qint64> updatedAtMicros(const QJsonValue &row, int rowNumber) const;

private:
    [[noreturn]] void rethrow(const ConnectorError &error, int rowNumber) const;

    QList<SchemaField> m_schema;
    QString m_context;
    int m_updatedAtColumn = -1;
};

} // namespace tf
