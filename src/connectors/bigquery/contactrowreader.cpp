#include "connectors/bigquery/contactrowreader.h"

#include "connectors/bigquery/celldecoder.h"
#include "core/connector.h"

#include <QJsonArray>

namespace tf {

namespace {

QVariant contactValue(const FieldSpec &spec, const QVariant &decoded)
{
    if (!decoded.isValid())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
        return decoded.toString().isEmpty() ? QVariant() : decoded;
    case FieldKind::Float:
        return decoded; // NaN and infinities as they are: the engine refuses them (ValueValidator), never NULLs them
    case FieldKind::StringList: {
        QStringList items;
        for (const QVariant &item : decoded.toList())
            items.append(item.toString());
        return items.isEmpty() ? QVariant() : QVariant(items);
    }
    case FieldKind::Timestamp:
        return decoded;
    case FieldKind::Json: {
        const QJsonValue json = decoded.value<QJsonValue>();
        return json.isNull() ? QVariant() : decoded;
    }
    }
    return {};
}

} // namespace

ContactRowReader::ContactRowReader(const QList<SchemaField> &schema, const QString &context)
    : m_schema(schema)
    , m_context(context)
{
    const QStringList problems = SchemaField::contractProblems(schema, false);
    if (!problems.isEmpty()) {
        throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Schema,
                             QStringLiteral("%1: the result's columns are not the contract's: %2")
                                 .arg(m_context, problems.join(QStringLiteral("; "))));
    }
    for (qsizetype i = 0; i < m_schema.size(); ++i) {
        m_schema[i].name = m_schema.at(i).name.toLower(); // column names ignore case; the registry's are lower case
        if (m_schema.at(i).name == field::UpdatedAt)
            m_updatedAtColumn = int(i);
    }
}

void ContactRowReader::rethrow(const ConnectorError &error, int rowNumber) const
{
    throw ConnectorError(Layer::BigQuery, error.kind(),
                         QStringLiteral("%1: row %2: %3").arg(m_context).arg(rowNumber).arg(error.message()));
}

Contact ContactRowReader::contact(const QJsonValue &row, int rowNumber) const
{
    try {
        const QVariantMap values = CellDecoder::decodeRow(m_schema, row);
        Contact contact;
        for (const FieldSpec &spec : FieldRegistry::fields())
            contact.setValue(spec.index, contactValue(spec, values.value(spec.name)));
        if (contact.id().isEmpty())
            throw ConnectorError(Layer::BigQuery, ConnectorError::Kind::Internal, QStringLiteral("contact_id is NULL"));
        return contact;
    } catch (const ConnectorError &error) {
        rethrow(error, rowNumber);
    }
}

std::optional<qint64> ContactRowReader::updatedAtMicros(const QJsonValue &row, int rowNumber) const
{
    try {
        const QJsonArray cells = row.toObject().value(QStringLiteral("f")).toArray();
        return CellDecoder::timestampCellMicros(m_schema.at(m_updatedAtColumn), cells.at(m_updatedAtColumn));
    } catch (const ConnectorError &error) {
        rethrow(error, rowNumber);
    }
}

} // namespace tf
