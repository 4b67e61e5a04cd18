// Contacts from BigQuery rows (ContactRowReader over the contract's columns): the input is a query-response body
// or a bare list of rows. Rows are read with the contract's schema, and with the body's own schema when the reader
// accepts it. Errors are ConnectorError only; a contact read has an id, and its updated_at is the watermark's
// microseconds truncated to milliseconds.
#include "connectors/bigquery/contactrowreader.h"
#include "core/connector.h"
#include "fuzzsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace tf;

namespace {

void readRows(const ContactRowReader &reader, const QJsonArray &rows)
{
    for (qsizetype i = 0; i < rows.size(); ++i) {
        std::optional<Contact> contact;
        try {
            contact = reader.contact(rows.at(i), int(i));
            TF_FUZZ_CHECK(!contact->id().isEmpty(), QStringLiteral("row %1: a contact without an id").arg(i));
        } catch (const ConnectorError &) {
        }
        std::optional<qint64> micros;
        try {
            micros = reader.updatedAtMicros(rows.at(i), int(i));
        } catch (const ConnectorError &) {
            continue;
        }
        if (!contact)
            continue;
        const QDateTime updatedAt = contact->timestamp(field::UpdatedAt);
        TF_FUZZ_CHECK(updatedAt.isValid() == micros.has_value(),
                      QStringLiteral("row %1: updated_at %2, watermark %3")
                          .arg(i)
                          .arg(updatedAt.toString(Qt::ISODateWithMs), micros ? QString::number(*micros) : "NULL"));
        if (micros) {
            const qint64 ms = *micros / 1000 - ((*micros % 1000 != 0 && *micros < 0) ? 1 : 0);
            TF_FUZZ_CHECK(updatedAt.toMSecsSinceEpoch() == ms,
                          QStringLiteral("row %1: updated_at %2 ms, watermark %3 µs")
                              .arg(i)
                              .arg(updatedAt.toMSecsSinceEpoch())
                              .arg(*micros));
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(fuzz::bytes(data, size));
    const QJsonObject response = document.object();
    const QJsonArray rows = document.isArray() ? document.array() : response.value(QStringLiteral("rows")).toArray();

    static const ContactRowReader contract(SchemaField::contractSchema(), QStringLiteral("fuzz"));
    readRows(contract, rows);
    try {
        const ContactRowReader own(
            SchemaField::listFromJson(
                response.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")),
                QStringLiteral("fuzz")),
            QStringLiteral("fuzz"));
        readRows(own, rows);
    } catch (const ConnectorError &) {
    }
    return 0;
}
