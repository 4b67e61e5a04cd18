#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace tf {

struct FieldSpec;

// One column of a BigQuery schema (TableFieldSchema, bigquery-rest.md §3.1), as tables.get and every query
// response describe it, with the type in its GoogleSQL spelling.
struct SchemaField {
    QString name;
    QString type;                          // canonical: INT64, FLOAT64, BOOL, STRUCT, STRING, TIMESTAMP, ...
    QString mode = QStringLiteral("NULLABLE"); // NULLABLE, REQUIRED or REPEATED
    QList<SchemaField> fields;             // STRUCT members, in cell order

    bool repeated() const { return mode == QLatin1String("REPEATED"); }
    QString describe() const; // "STRING REPEATED", "TIMESTAMP", "INT64 REQUIRED"
    QJsonObject toJson() const;

    // Responses use the legacy names (INTEGER, FLOAT, BOOLEAN, RECORD; §1.2); both spellings mean the same type.
    static QString canonicalType(const QString &type);
    // Throws ConnectorError naming `context` when a field has no name or type.
    static QList<SchemaField> listFromJson(const QJsonValue &fields, const QString &context);
    static QJsonArray listToJson(const QList<SchemaField> &fields);
    // The contract's column for a registry field (contact-fields.tsv, column `bigquery`).
    static SchemaField fromContract(const FieldSpec &spec);
    static QList<SchemaField> contractSchema();
    // What keeps `actual` from holding the contract's columns: "missing column x", "column x is INT64, the
    // contract says STRING", … Extra columns are fine. Query results do not report REQUIRED, so `compareModes`
    // false only checks that REPEATED columns are REPEATED.
    static QStringList contractProblems(const QList<SchemaField> &actual, bool compareModes);
};

} // namespace tf
