#include "connectors/supabase/bulkcontactwriter.h"

#include "connectors/supabase/pgcontactcodec.h"
#include "connectors/supabase/pgerrortranslator.h"

#include <pqxx/except>
#include <pqxx/stream_to>
#include <tuple>
#include <pqxx/result>

namespace tf {

namespace {

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QStringList idsOf(const QList<Contact> &contacts)
{
    QStringList ids;
    ids.reserve(contacts.size());
    for (const Contact &contact : contacts)
        ids << contact.id();
    return ids;
}

} // namespace

BulkContactWriter::BulkContactWriter(const SupabaseSchema &schema, const PgContactTable &table)
    : m_schema(schema)
    , m_table(table)
{
}

QString BulkContactWriter::upsertSql(const QString &source) const
{
    QStringList assignments;
    QStringList stored;
    QStringList incoming;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const QString column = SupabaseSchema::quoteIdent(spec.name);
        if (spec.name == field::ContactId)
            continue;
        assignments << QStringLiteral("%1 = EXCLUDED.%1").arg(column);
        if (spec.name == field::UpdatedAt)
            continue;
        const QString compared = spec.kind == FieldKind::Timestamp ? QStringLiteral("date_trunc('milliseconds', %1.%2)")
                                                                   : QStringLiteral("%1.%2");
        stored << compared.arg(QStringLiteral("t"), column);
        incoming << compared.arg(QStringLiteral("EXCLUDED"), column);
    }
    return QStringLiteral("INSERT INTO %1 AS t (%2) SELECT %3 FROM %4 "
                          "ON CONFLICT (%5) DO UPDATE SET %6 WHERE (%7) IS DISTINCT FROM (%8)")
        .arg(m_schema.qualifiedTable(), m_schema.columnList(), m_schema.columnList(QStringLiteral("r")), source,
             SupabaseSchema::quoteIdent(field::ContactId), assignments.join(QStringLiteral(", ")),
             stored.join(QStringLiteral(", ")), incoming.join(QStringLiteral(", ")));
}

QList<Contact> BulkContactWriter::writeBulk(pqxx::transaction_base &transaction, const QList<Contact> &contacts) const
{
    // libpqxx 6.4's stream_to streams std::tuple rows only (a column count fixed at compile time) and its
    // tablewriter is deprecated and maps one chosen string to NULL, so each row is staged as one JSON document
    // (PgContactCodec) and unpacked by the server against the table's own row type.
    transaction.exec("CREATE TEMP TABLE tf_stage (doc json) ON COMMIT DROP");
    {
        pqxx::stream_to stage(transaction, "tf_stage", std::vector<std::string>{"doc"});
        for (const Contact &contact : contacts)
            stage << std::make_tuple(PgContactCodec::toDocument(contact).toStdString());
        stage.complete();
    }
    transaction.exec(utf8(upsertSql(QStringLiteral("tf_stage s CROSS JOIN LATERAL json_populate_record(NULL::%1, s.doc) r")
                                        .arg(m_schema.qualifiedTable()))));
    return m_table.byIds(transaction, idsOf(contacts));
}

QList<Contact> BulkContactWriter::writeRowByRow(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                                               QHash<QString, QString> *rejected) const
{
    const std::string sql = utf8(upsertSql(QStringLiteral("json_populate_record(NULL::%1, $1::json) r")
                                               .arg(m_schema.qualifiedTable())));
    // Savepoints by hand: libpqxx 6.4's subtransaction sends no SAVEPOINT before an exec_params.
    QStringList written;
    for (const Contact &contact : contacts) {
        transaction.exec("SAVEPOINT tf_row");
        try {
            transaction.exec_params(sql, PgContactCodec::toDocument(contact).toStdString());
            transaction.exec("RELEASE SAVEPOINT tf_row");
            written << contact.id();
        } catch (const pqxx::sql_error &error) {
            if (!PgErrorTranslator::isRowLevel(error.sqlstate()))
                throw;
            transaction.exec("ROLLBACK TO SAVEPOINT tf_row");
            rejected->insert(contact.id(), PgErrorTranslator::describe(error));
        }
    }
    return m_table.byIds(transaction, written);
}

} // namespace tf
