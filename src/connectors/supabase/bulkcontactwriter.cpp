#include "connectors/supabase/bulkcontactwriter.h"

#include "connectors/supabase/pgcontactcodec.h"
#include "connectors/supabase/pgerrortranslator.h"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <tuple>

namespace tf {

namespace {

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString text(const pqxx::field &field)
{
    return QString::fromUtf8(field.c_str(), int(field.size()));
}

// libpqxx 6.4's stream_to streams std::tuple rows only (a column count fixed at compile time) and its tablewriter
// is deprecated and maps one chosen string to NULL, so each row is staged as one JSON document (PgContactCodec)
// and unpacked by the server against the table's own row type.
void stage(pqxx::transaction_base &transaction, const QList<Contact> &contacts)
{
    transaction.exec("CREATE TEMP TABLE tf_stage (doc json) ON COMMIT DROP");
    pqxx::stream_to staged(transaction, "tf_stage", std::vector<std::string>{"doc"});
    for (const Contact &contact : contacts)
        staged << std::make_tuple(PgContactCodec::toDocument(contact).toStdString());
    staged.complete();
}

} // namespace

BulkContactWriter::BulkContactWriter(const SupabaseSchema &schema, const PgContactTable &table)
    : m_schema(schema)
    , m_table(table)
{
}

QString BulkContactWriter::insertSql(const QString &source, const QString &where, OnConflict onConflict) const
{
    const QString id = SupabaseSchema::quoteIdent(field::ContactId);
    const QString insert = QStringLiteral("INSERT INTO %1 AS t (%2) SELECT %3 FROM %4 WHERE %5 ON CONFLICT (%6) ")
                               .arg(m_schema.qualifiedTable(), m_schema.columnList(),
                                    m_schema.columnList(QStringLiteral("r")), source, where, id);
    if (onConflict == OnConflict::Skip)
        return insert + QStringLiteral("DO NOTHING RETURNING t.%1").arg(id);
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
    return insert
        + QStringLiteral("DO UPDATE SET %1 WHERE (%2) IS DISTINCT FROM (%3)")
              .arg(assignments.join(QStringLiteral(", ")), stored.join(QStringLiteral(", ")),
                   incoming.join(QStringLiteral(", ")));
}

BulkContactWriter::Admitted BulkContactWriter::admit(pqxx::transaction_base &transaction,
                                                     const QList<Contact> &contacts,
                                                     const ExpectedVersions &expected) const
{
    // Only constrained rows are locked: an unconstrained write replaces whatever is there anyway.
    QStringList constrained;
    for (const Contact &contact : contacts) {
        if (expected.constrains(contact.id()))
            constrained << contact.id();
    }
    // READ COMMITTED: FOR UPDATE waits for a transaction holding one of these rows and then reads the version it
    // committed, so what is compared is the newest row, and it stays so until this transaction commits.
    const QHash<QString, Contact> current = m_table.lockByIds(transaction, constrained);
    Admitted admitted;
    for (const Contact &contact : contacts) {
        if (!expected.stillHolds(contact.id(), current)) {
            admitted.moved << contact.id();
            continue;
        }
        if (expected.constrains(contact.id()) && !expected.version(contact.id()))
            admitted.createOnly.insert(contact.id());
        admitted.contacts << contact;
    }
    return admitted;
}

QSet<QString> BulkContactWriter::insertStaged(pqxx::transaction_base &transaction,
                                              const QSet<QString> &createOnly) const
{
    const QString source = QStringLiteral("tf_stage s CROSS JOIN LATERAL json_populate_record(NULL::%1, s.doc) r")
                               .arg(m_schema.qualifiedTable());
    const QString isCreateOnly
        = QStringLiteral("r.%1 = ANY($1::text[])").arg(SupabaseSchema::quoteIdent(field::ContactId));
    const std::string createOnlyIds
        = utf8(PgContactCodec::textArrayLiteral(QStringList(createOnly.cbegin(), createOnly.cend())));
    transaction.exec_params(utf8(insertSql(source, QStringLiteral("NOT (%1)").arg(isCreateOnly), OnConflict::Update)),
                            createOnlyIds);
    QSet<QString> created;
    if (createOnly.isEmpty())
        return created;
    for (const pqxx::row &row :
         transaction.exec_params(utf8(insertSql(source, isCreateOnly, OnConflict::Skip)), createOnlyIds))
        created.insert(text(row[0]));
    return created;
}

WriteResult BulkContactWriter::writeBulk(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                                         const ExpectedVersions &expected) const
{
    WriteResult result;
    const Admitted admitted = admit(transaction, contacts, expected);
    result.moved = admitted.moved;
    if (admitted.contacts.isEmpty())
        return result;
    stage(transaction, admitted.contacts);
    const QSet<QString> created = insertStaged(transaction, admitted.createOnly);
    QStringList written;
    for (const Contact &contact : admitted.contacts) {
        // A create-only row not inserted: someone created the contact after admit() looked.
        const bool lostTheRace = admitted.createOnly.contains(contact.id()) && !created.contains(contact.id());
        (lostTheRace ? result.moved : written) << contact.id();
    }
    result.stored = m_table.byIds(transaction, written);
    return result;
}

WriteResult BulkContactWriter::writeRowByRow(pqxx::transaction_base &transaction, const QList<Contact> &contacts,
                                             const ExpectedVersions &expected) const
{
    WriteResult result;
    const Admitted admitted = admit(transaction, contacts, expected);
    result.moved = admitted.moved;
    const QString source = QStringLiteral("json_populate_record(NULL::%1, $1::json) r").arg(m_schema.qualifiedTable());
    const std::string upsert = utf8(insertSql(source, QStringLiteral("true"), OnConflict::Update));
    const std::string create = utf8(insertSql(source, QStringLiteral("true"), OnConflict::Skip));
    // Savepoints by hand: libpqxx 6.4's subtransaction sends no SAVEPOINT before an exec_params.
    QStringList written;
    for (const Contact &contact : admitted.contacts) {
        const bool createOnly = admitted.createOnly.contains(contact.id());
        transaction.exec("SAVEPOINT tf_row");
        try {
            const pqxx::result inserted = transaction.exec_params(createOnly ? create : upsert,
                                                                  PgContactCodec::toDocument(contact).toStdString());
            transaction.exec("RELEASE SAVEPOINT tf_row");
            (createOnly && inserted.empty() ? result.moved : written) << contact.id();
        } catch (const pqxx::sql_error &error) {
            if (!PgErrorTranslator::isRowLevel(error.sqlstate()))
                throw;
            transaction.exec("ROLLBACK TO SAVEPOINT tf_row");
            result.rejected.insert(contact.id(), PgErrorTranslator::describe(error));
        }
    }
    result.stored = m_table.byIds(transaction, written);
    return result;
}

} // namespace tf
