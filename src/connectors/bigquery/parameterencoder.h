#pragma once

#include "core/connector.h"

#include <QJsonObject>

namespace tf {

// Named query parameters (QueryParameter, bigquery-rest.md §1.1): `{name, parameterType, parameterValue}`, every
// scalar value a JSON string (the declared type; §1.1), NULL as {"value": null}. A contact travels as a STRUCT
// of the contract's columns in registry order, a batch as ARRAY<STRUCT<…>> (§2.5).
class ParameterEncoder
{
public:
    static QJsonObject string(const QString &name, const QString &value);
    static QJsonObject timestamp(const QString &name, qint64 micros);
    static QJsonObject stringArray(const QString &name, const QStringList &values);

    // The MERGE's @rows: ARRAY<STRUCT<contract columns…, the write's condition>>, one element per already encoded
    // mergeRowValue(). The condition travels beside the columns so one statement can honour each row's own
    // expectation (ExpectedVersions):
    //   unconditional        no expectation: write whatever the table holds (the plain upsert)
    //   expect_present       the planner read a row; it may only be replaced while it is still that version
    //   expected_updated_at  that version's updated_at (NULL for a row an outside writer left without one)
    // expect_present FALSE with unconditional FALSE: the planner saw no row, the write may only create it.
    static QJsonObject mergeRows(const QString &name, const QJsonArray &rowValues);
    static QJsonObject mergeRowValue(const Contact &contact, const ExpectedVersions &expected);
    // valueCount() plus the condition's members.
    static int mergeRowValueCount(const Contact &contact);
    static QList<QPair<QString, QString>> conditionMembers(); // name → type, after the contract columns
    static inline const QString kUnconditional = QStringLiteral("unconditional");
    static inline const QString kExpectPresent = QStringLiteral("expect_present");
    static inline const QString kExpectedUpdatedAt = QStringLiteral("expected_updated_at");

    static QJsonObject contactType();                      // STRUCT<contact_id STRING, …, deleted_at TIMESTAMP>
    static QJsonObject contactValue(const Contact &contact); // {"structValues": {column: value, …}}
    static QJsonObject fieldType(const FieldSpec &spec);
    // REPEATED columns get [] for NULL: BigQuery stores a NULL array as an empty one (§1.3), and sending what it
    // stores keeps TO_JSON_STRING(T.tags) = TO_JSON_STRING(S.tags) on a rewrite. NaN and infinities are NULL
    // (the contract's Float kind).
    static QJsonObject fieldValue(const FieldSpec &spec, const QVariant &value);
    // How many values the row carries, counting each struct field and each array element: BigQuery allows 10,000
    // query parameters per request (§2.5), and we count struct members against it to stay safely below.
    static int valueCount(const Contact &contact);

    static QString timestampText(qint64 micros); // "2024-01-27T00:00:00.123456Z": microseconds, as stored
};

} // namespace tf
