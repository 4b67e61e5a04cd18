#include "bigquery/queryengine.h"

#include "bigquery/catalog.h"
#include "bigquery/googleerror.h"
#include "bigquery/mergerunner.h"
#include "bigquery/selecttranslator.h"
#include "bigquery/sqlitedatabase.h"
#include "bigquery/sqlparser.h"
#include "bigquery/valuecaster.h"
#include "bigquery/valuecodec.h"

#include <QJsonArray>

namespace tf::emu {

namespace {

template<class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template<class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// GoogleSQL cannot return an array holding NULL: "Array cannot have a null element; error in writing field x".
void checkArrays(const QVariantList &row, const QList<FieldSchema> &schema)
{
    for (qsizetype i = 0; i < schema.size(); ++i) {
        if (!schema.at(i).repeated() || !row.at(i).isValid() || !row.at(i).toString().contains(QLatin1String("null")))
            continue;
        for (const QJsonValue &element : ValueCodec::composite(row.at(i))) {
            if (element.isNull())
                throw GoogleError::invalidQuery(QStringLiteral("Array cannot have a null element; error in writing field %1").arg(schema.at(i).name));
        }
    }
}

} // namespace

QueryEngine::QueryEngine(SqliteDatabase &database, Catalog &catalog)
    : m_database(database)
    , m_catalog(catalog)
    , m_guard([](const TableInfo &, bool) {})
{
}

Statement QueryEngine::parse(const QString &sql)
{
    return SqlParser::parse(sql);
}

QString QueryEngine::statementType(const Statement &statement)
{
    return std::visit(Overloaded{[](const SelectStatement &) { return QStringLiteral("SELECT"); },
                                 [](const InsertStatement &) { return QStringLiteral("INSERT"); },
                                 [](const UpdateStatement &) { return QStringLiteral("UPDATE"); },
                                 [](const DeleteStatement &) { return QStringLiteral("DELETE"); },
                                 [](const TruncateStatement &) { return QStringLiteral("TRUNCATE_TABLE"); },
                                 [](const MergeStatement &) { return QStringLiteral("MERGE"); }},
                      statement);
}

std::optional<QString> QueryEngine::mutatedTable(const Statement &statement, const QueryContext &context)
{
    const auto id = [&](const TableName &name) -> std::optional<QString> {
        const QStringList parts = TableResolver::qualify(name, context);
        return parts.at(0) + QLatin1Char(':') + parts.at(1) + QLatin1Char('.') + parts.at(2);
    };
    return std::visit(Overloaded{[&](const UpdateStatement &s) { return id(s.table); },
                                 [&](const DeleteStatement &s) { return id(s.table); },
                                 [&](const TruncateStatement &s) { return id(s.table); },
                                 [&](const MergeStatement &s) { return id(s.target); },
                                 [](const auto &) -> std::optional<QString> { return std::nullopt; }},
                      statement);
}

QueryOutcome QueryEngine::select(const SelectStatement &statement, const QueryContext &context)
{
    TableResolver tables(m_catalog, context);
    SqlBindings bindings;
    SelectTranslator translator(context, bindings, tables);
    const SelectTranslator::Result translated = translator.translate(statement);
    QueryOutcome outcome;
    outcome.statementType = QStringLiteral("SELECT");
    outcome.schema = translated.schema;
    for (const TableInfo &table : tables.used())
        outcome.bytesProcessed += m_catalog.byteCount(table);
    SqliteDatabase::Result result = m_database.run(translated.sql, bindings.values());
    outcome.rows.reserve(result.rows.size());
    for (QVariantList &row : result.rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            row[i] = ValueCaster::normalized(row.at(i), translated.types.at(i));
        checkArrays(row, outcome.schema);
        outcome.rows.append(std::move(row));
    }
    return outcome;
}

QueryOutcome QueryEngine::run(const Statement &statement, const QueryContext &context, qint64 nowMs)
{
    if (const SelectStatement *select = std::get_if<SelectStatement>(&statement))
        return this->select(*select, context);

    TableResolver tables(m_catalog, context);
    DmlRunner dml(m_database, tables, context, m_guard);
    SqliteDatabase::Transaction transaction(m_database);
    QueryOutcome outcome;
    outcome.statementType = statementType(statement);
    outcome.dml = std::visit(Overloaded{[&](const InsertStatement &s) { return dml.insert(s); },
                                        [&](const UpdateStatement &s) { return dml.update(s); },
                                        [&](const DeleteStatement &s) { return dml.remove(s); },
                                        [&](const TruncateStatement &s) { return dml.truncate(s); },
                                        [&](const MergeStatement &s) { return MergeRunner(m_database, tables, context, m_guard).run(s); },
                                        [](const SelectStatement &) { return DmlStats(); }},
                             statement);
    for (const TableInfo &table : tables.used()) {
        outcome.bytesProcessed += m_catalog.byteCount(table);
        m_catalog.touch(table, nowMs);
    }
    transaction.commit();
    return outcome;
}

} // namespace tf::emu
