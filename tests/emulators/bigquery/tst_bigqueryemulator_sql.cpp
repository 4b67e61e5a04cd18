#include "bigquerytestclient.h"
#include "support/emulatorprocess.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>

using tf::test::BigQueryReply;
using tf::test::BigQueryTestClient;

namespace {

const QString kTable = QStringLiteral("`test-project.sql_ds.t`");

QJsonObject field(const QString &name, const QString &type, const QString &mode = QStringLiteral("NULLABLE"), const QJsonArray &fields = {})
{
    QJsonObject object{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("mode"), mode}};
    if (!fields.isEmpty())
        object.insert(QStringLiteral("fields"), fields);
    return object;
}

QJsonObject arrayType(const QJsonObject &element)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("ARRAY")}, {QStringLiteral("arrayType"), element}};
}

QJsonObject arrayValue(const QJsonArray &values)
{
    QJsonArray items;
    for (const QJsonValue &value : values)
        items.append(value.isObject() ? value : QJsonValue(BigQueryTestClient::value(value)));
    return QJsonObject{{QStringLiteral("arrayValues"), items}};
}

QStringList column(const BigQueryReply &reply, int index)
{
    QStringList values;
    for (const QJsonValue &row : reply.rows())
        values.append(row.toArray().at(index).isNull() ? QStringLiteral("NULL") : row.toArray().at(index).toString());
    return values;
}

// Every type of §1.1 as a STRUCT member, with the table column it lands in.
struct TypedColumn {
    QString name;
    QString type;     // parameter and schema type
    QString mode;     // schema mode
    QJsonObject parameterType;
};

} // namespace

// The SQL engine of tf-bigquery-emulator through jobs.query: GoogleSQL translated onto SQLite (SELECT, MERGE,
// UPDATE, DELETE, INSERT), types, parameters, functions and GoogleSQL's errors (bigquery-rest.md §1, §2.5, §3.3).
class TestBigQuerySql : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<BigQueryTestClient> m_client;

    void seedPeople()
    {
        QVERIFY(m_client->createTable(QStringLiteral("sql_ds"), QStringLiteral("t"),
                                      QJsonArray{field(QStringLiteral("id"), QStringLiteral("INT64"), QStringLiteral("REQUIRED")),
                                                 field(QStringLiteral("name"), QStringLiteral("STRING")),
                                                 field(QStringLiteral("score"), QStringLiteral("FLOAT64")),
                                                 field(QStringLiteral("tags"), QStringLiteral("STRING"), QStringLiteral("REPEATED"))})
                    .status == 200);
        m_client->run(QStringLiteral("INSERT INTO %1 (id, name, score, tags) VALUES (1, 'Ann', 1.5, ['a', 'b']), (2, 'bob', NULL, []), "
                                     "(3, NULL, 3.0, ['c']), (4, 'Bo%b', -2.25, ['a']), (5, 'ann', 10, [])")
                          .arg(kTable));
    }

private slots:
    void initTestCase()
    {
        const QString error = m_emulator.start(QStringLiteral("tf-bigquery-emulator"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<BigQueryTestClient>(m_emulator.baseUrl());
    }

    void init()
    {
        m_client->admin("POST", QStringLiteral("reset"));
        QCOMPARE(m_client->createDataset(QStringLiteral("sql_ds")).status, 200);
    }

    void constantSelectNamesAndTypesItsColumns()
    {
        const BigQueryReply reply = m_client->run(QStringLiteral("SELECT 1 AS x, 'a', TRUE AS flag, NULL, 2.5, b'\\x00\\xff'"));
        const QJsonArray fields = reply.json.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")).toArray();
        QStringList names, types;
        for (const QJsonValue &f : fields) {
            names.append(f.toObject().value(QStringLiteral("name")).toString());
            types.append(f.toObject().value(QStringLiteral("type")).toString());
        }
        QCOMPARE(names, (QStringList{"x", "f0_", "flag", "f1_", "f2_", "f3_"}));
        QCOMPARE(types, (QStringList{"INTEGER", "STRING", "BOOLEAN", "INTEGER", "FLOAT", "BYTES"}));
        QCOMPARE(reply.rows().first().toArray(), (QJsonArray{"1", "a", "true", QJsonValue::Null, "2.5", "AP8="}));
        QCOMPARE(reply.json.value(QStringLiteral("totalRows")).toString(), QStringLiteral("1"));
    }

    void whereSupportsGoogleSqlPredicates()
    {
        seedPeople();
        const auto ids = [&](const QString &where, const QJsonObject &extra = {}) {
            return column(m_client->run(QStringLiteral("SELECT id FROM %1 WHERE %2 ORDER BY id").arg(kTable, where), extra), 0);
        };
        QCOMPARE(ids(QStringLiteral("name = 'Ann' OR (score > 2 AND NOT id = 4)")), (QStringList{"1", "3", "5"}));
        QCOMPARE(ids(QStringLiteral("name IS NULL")), QStringList{"3"});
        QCOMPARE(ids(QStringLiteral("score IS NOT NULL AND score <= 1.5")), (QStringList{"1", "4"}));
        QCOMPARE(ids(QStringLiteral("name LIKE 'b%'")), QStringList{"2"});       // case-sensitive, unlike SQLite's default
        QCOMPARE(ids(QStringLiteral("name LIKE 'Bo\\\\%b'")), QStringList{"4"}); // backslash escapes %
        QCOMPARE(ids(QStringLiteral("id IN (2, 5) OR id BETWEEN 3 AND 3")), (QStringList{"2", "3", "5"}));
        QCOMPARE(ids(QStringLiteral("'a' IN UNNEST(tags)")), (QStringList{"1", "4"}));
        QCOMPARE(ids(QStringLiteral("id IN UNNEST(@ids)"),
                     BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                         QStringLiteral("ids"), arrayType(BigQueryTestClient::scalar(QStringLiteral("INT64"))), arrayValue({"2", 4, "9"}))})),
                 (QStringList{"2", "4"}));
        QCOMPARE(ids(QStringLiteral("id NOT IN UNNEST(@ids)"),
                     BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                         QStringLiteral("ids"), arrayType(BigQueryTestClient::scalar(QStringLiteral("INT64"))), arrayValue({}))})),
                 (QStringList{"1", "2", "3", "4", "5"}));
    }

    void orderByLimitAndOffset()
    {
        seedPeople();
        const BigQueryReply ordered = m_client->run(QStringLiteral("SELECT id, score FROM %1 ORDER BY score DESC, id").arg(kTable));
        QCOMPARE(column(ordered, 0), (QStringList{"5", "3", "1", "4", "2"})); // NULL last when descending
        QCOMPARE(column(ordered, 1), (QStringList{"10.0", "3.0", "1.5", "-2.25", "NULL"}));
        const BigQueryReply page = m_client->run(QStringLiteral("SELECT id FROM %1 ORDER BY 1 LIMIT @n OFFSET 1").arg(kTable),
                                                 BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                                                     QStringLiteral("n"), BigQueryTestClient::scalar(QStringLiteral("INT64")), BigQueryTestClient::value(2))}));
        QCOMPARE(column(page, 0), (QStringList{"2", "3"}));
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT name FROM %1 ORDER BY name NULLS LAST").arg(kTable)), 0),
                 (QStringList{"Ann", "Bo%b", "ann", "bob", "NULL"}));
    }

    // The connector's watermark query: (updated_at, contact_id) keyset pages hand out every row exactly once, even
    // when many rows share one updated_at.
    void tupleKeysetConditionPagesEveryRowOnce()
    {
        QCOMPARE(m_client->createTable(QStringLiteral("sql_ds"), QStringLiteral("k"),
                                       QJsonArray{field(QStringLiteral("contact_id"), QStringLiteral("STRING")),
                                                  field(QStringLiteral("updated_at"), QStringLiteral("TIMESTAMP"))})
                     .status,
                 200);
        m_client->run(QStringLiteral("INSERT INTO `test-project.sql_ds.k` (contact_id, updated_at) "
                                     "SELECT CONCAT('c', CAST(id AS STRING)), TIMESTAMP_SECONDS(1700000000 + MOD(id, 7)) "
                                     "FROM UNNEST(@ids) AS id"),
                      BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                          QStringLiteral("ids"), arrayType(BigQueryTestClient::scalar(QStringLiteral("INT64"))), [] {
                              QJsonArray ids;
                              for (int i = 0; i < 2500; ++i)
                                  ids.append(QString::number(i));
                              return arrayValue(ids);
                          }())}));
        QSet<QString> seen;
        QString ts = QStringLiteral("1970-01-01T00:00:00Z");
        QString id;
        for (int guard = 0; guard < 100; ++guard) {
            const QJsonObject parameters = BigQueryTestClient::namedParameters(
                QJsonArray{BigQueryTestClient::parameter(QStringLiteral("ts"), BigQueryTestClient::scalar(QStringLiteral("TIMESTAMP")),
                                                         BigQueryTestClient::value(ts)),
                           BigQueryTestClient::parameter(QStringLiteral("id"), BigQueryTestClient::scalar(QStringLiteral("STRING")),
                                                         BigQueryTestClient::value(id))});
            QJsonObject extra = parameters;
            extra.insert(QStringLiteral("formatOptions"), QJsonObject{{QStringLiteral("timestampOutputFormat"), QStringLiteral("ISO8601_STRING")}});
            const BigQueryReply page = m_client->run(
                QStringLiteral("SELECT contact_id, updated_at FROM `test-project.sql_ds.k` "
                               "WHERE updated_at > @ts OR (updated_at = @ts AND contact_id > @id) ORDER BY updated_at, contact_id LIMIT 97"),
                extra);
            const QJsonArray rows = page.rows();
            if (rows.isEmpty())
                break;
            for (const QJsonValue &row : rows) {
                QVERIFY2(!seen.contains(row.toArray().at(0).toString()), qPrintable(row.toArray().at(0).toString()));
                seen.insert(row.toArray().at(0).toString());
            }
            id = rows.last().toArray().at(0).toString();
            ts = rows.last().toArray().at(1).toString().replace(QStringLiteral("000000Z"), QStringLiteral("Z"));
        }
        QCOMPARE(seen.size(), 2500);
    }

    void countGroupByHavingAndTheirChecks()
    {
        seedPeople();
        QCOMPARE(m_client->run(QStringLiteral("SELECT COUNT(*) FROM %1").arg(kTable)).rows().first().toArray().first().toString(),
                 QStringLiteral("5"));
        const BigQueryReply grouped = m_client->run(
            QStringLiteral("SELECT LOWER(name) AS n, COUNT(*) AS c, SUM(id) FROM %1 WHERE name IS NOT NULL GROUP BY n HAVING COUNT(*) > 1").arg(kTable));
        QCOMPARE(grouped.rows(), (QJsonArray{QJsonValue(QJsonArray{"ann", "2", "6"})}));
        const BigQueryReply ungrouped = m_client->query(QStringLiteral("SELECT name, COUNT(*) FROM %1").arg(kTable));
        QCOMPARE(ungrouped.status, 400);
        QCOMPARE(ungrouped.errorMessage(), QStringLiteral("SELECT list expression references column name which is neither grouped nor aggregated at [1:8]"));
        const BigQueryReply inWhere = m_client->query(QStringLiteral("SELECT id FROM %1 WHERE COUNT(*) > 1").arg(kTable));
        QCOMPARE(inWhere.errorMessage(), QStringLiteral("Aggregate function COUNT not allowed in WHERE clause at [1:46]"));
    }

    void reconciliationFunctions()
    {
        const BigQueryReply reply = m_client->run(QStringLiteral(
            "SELECT TO_HEX(SHA256('abc')), TO_HEX(MD5('abc')), FARM_FINGERPRINT('1footrue'), FARM_FINGERPRINT('2applefalse'), "
            "FARM_FINGERPRINT(''), TO_JSON_STRING(STRUCT(1 AS a, 'x\"' AS b, [1.5, 2.0] AS c, TIMESTAMP '2024-01-27 10:00:00.5+00' AS t, "
            "JSON '{\"z\":1,\"a\":[true,null]}' AS j, CAST(NULL AS STRING) AS n)), COALESCE(NULL, NULL, 'c'), IFNULL(NULL, 7), "
            "ARRAY_LENGTH(['a', 'b', 'c']), TO_BASE64(b'hi')"));
        QCOMPARE(reply.rows().first().toArray(),
                 (QJsonArray{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "900150983cd24fb0d6963f7d28e17f72",
                             "-1541654101129638711", "2794438866806483259", "-7286425919675154353",
                             "{\"a\":1,\"b\":\"x\\\"\",\"c\":[1.5,2],\"t\":\"2024-01-27T10:00:00.5Z\",\"j\":{\"a\":[true,null],\"z\":1},\"n\":null}", "c", "7", "3",
                             "aGk="}));
    }

    void currentTimestampIsOneValuePerStatement()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch() * 1000;
        const BigQueryReply reply = m_client->run(QStringLiteral("SELECT CURRENT_TIMESTAMP() AS a, CURRENT_TIMESTAMP() AS b"),
                                                  QJsonObject{{QStringLiteral("formatOptions"), QJsonObject{{QStringLiteral("useInt64Timestamp"), true}}}});
        const QJsonArray row = reply.rows().first().toArray();
        QCOMPARE(row.at(0), row.at(1));
        QVERIFY(row.at(0).toString().toLongLong() >= before);
        QVERIFY(row.at(0).toString().toLongLong() <= QDateTime::currentMSecsSinceEpoch() * 1000 + 1000);
    }

    // Each type of §1.1 goes in through MERGE ... USING UNNEST(@rows) (§2.5) and comes back out of SELECT in §1.3's cell
    // form; a second MERGE of the same rows changes nothing, a changed field updates exactly that row.
    void everyTypeRoundTripsThroughMergeUnnest()
    {
        const QList<TypedColumn> columns{
            {"id", "STRING", "REQUIRED", BigQueryTestClient::scalar("STRING")},
            {"i", "INT64", "NULLABLE", BigQueryTestClient::scalar("INT64")},
            {"f", "FLOAT64", "NULLABLE", BigQueryTestClient::scalar("FLOAT64")},
            {"n", "NUMERIC", "NULLABLE", BigQueryTestClient::scalar("NUMERIC")},
            {"bn", "BIGNUMERIC", "NULLABLE", BigQueryTestClient::scalar("BIGNUMERIC")},
            {"b", "BOOL", "NULLABLE", BigQueryTestClient::scalar("BOOL")},
            {"bs", "BYTES", "NULLABLE", BigQueryTestClient::scalar("BYTES")},
            {"ts", "TIMESTAMP", "NULLABLE", BigQueryTestClient::scalar("TIMESTAMP")},
            {"d", "DATE", "NULLABLE", BigQueryTestClient::scalar("DATE")},
            {"dt", "DATETIME", "NULLABLE", BigQueryTestClient::scalar("DATETIME")},
            {"tm", "TIME", "NULLABLE", BigQueryTestClient::scalar("TIME")},
            {"g", "GEOGRAPHY", "NULLABLE", BigQueryTestClient::scalar("GEOGRAPHY")},
            {"j", "JSON", "NULLABLE", BigQueryTestClient::scalar("JSON")},
            {"tags", "STRING", "REPEATED", arrayType(BigQueryTestClient::scalar("STRING"))},
        };
        const QJsonObject addressType{{"type", "STRUCT"},
                                      {"structTypes", QJsonArray{QJsonObject{{"name", "city"}, {"type", BigQueryTestClient::scalar("STRING")}},
                                                                 QJsonObject{{"name", "zip"}, {"type", BigQueryTestClient::scalar("INT64")}}}}};
        QJsonArray fields;
        QJsonArray structTypes;
        QStringList names;
        for (const TypedColumn &c : columns) {
            fields.append(field(c.name, c.type, c.mode));
            structTypes.append(QJsonObject{{"name", c.name}, {"type", c.parameterType}});
            names.append(c.name);
        }
        fields.append(field("addr", "RECORD", "NULLABLE", QJsonArray{field("city", "STRING"), field("zip", "INT64")}));
        fields.append(field("items", "RECORD", "REPEATED", QJsonArray{field("city", "STRING"), field("zip", "INT64")}));
        structTypes.append(QJsonObject{{"name", "addr"}, {"type", addressType}});
        structTypes.append(QJsonObject{{"name", "items"}, {"type", arrayType(addressType)}});
        names << "addr" << "items";
        QCOMPARE(m_client->createTable("sql_ds", "all_types", fields).status, 200);

        const QString hostile = QStringLiteral("O'Brien \"q\" \\ ünïcödé 🎉 %_ null");
        const auto address = [](const QJsonValue &city, const QJsonValue &zip) {
            return QJsonObject{{"structValues", QJsonObject{{"city", BigQueryTestClient::value(city)}, {"zip", BigQueryTestClient::value(zip)}}}};
        };
        const QJsonObject full{{"id", BigQueryTestClient::value("full")},
                               {"i", BigQueryTestClient::value("9223372036854775807")},
                               {"f", BigQueryTestClient::value(0.1)},
                               {"n", BigQueryTestClient::value("-12345678901234567890.123456789")},
                               {"bn", BigQueryTestClient::value("1.00000000000000000000000000000000000001")},
                               {"b", BigQueryTestClient::value(true)},
                               {"bs", BigQueryTestClient::value("AAEC/w==")},
                               {"ts", BigQueryTestClient::value("2024-01-27 10:30:00.123456+00:00")},
                               {"d", BigQueryTestClient::value("2024-02-29")},
                               {"dt", BigQueryTestClient::value("2024-01-27T10:30:00.5")},
                               {"tm", BigQueryTestClient::value("23:59:59.999999")},
                               {"g", BigQueryTestClient::value("POINT(1 2)")},
                               {"j", BigQueryTestClient::value("{\"b\":[1,2.5,\"x\"],\"a\":{\"k\":null}}")},
                               {"tags", arrayValue({hostile, "", "x"})},
                               {"addr", address(hostile, "10115")},
                               {"items", QJsonObject{{"arrayValues", QJsonArray{address("A", 1), address(QJsonValue::Null, QJsonValue::Null)}}}}};
        QJsonObject empty{{"id", BigQueryTestClient::value("empty")}, {"tags", QJsonObject{{"arrayValues", QJsonArray()}}},
                          {"items", QJsonObject{{"arrayValues", QJsonArray()}}}};
        for (const QString &name : names) {
            if (!empty.contains(name))
                empty.insert(name, name == "i" ? QJsonObject() : BigQueryTestClient::value(QJsonValue::Null)); // {} and null are NULL
        }
        const auto merge = [&](const QJsonArray &rows) {
            QStringList assignments, sourced;
            for (const QString &name : names) {
                if (name == "id")
                    continue;
                assignments.append(QStringLiteral("%1 = S.%1").arg(name));
            }
            for (const QString &name : names)
                sourced.append(QStringLiteral("S.") + name);
            const QString statement =
                QStringLiteral("MERGE `test-project.sql_ds.all_types` T USING UNNEST(@rows) S ON T.id = S.id "
                               "WHEN MATCHED AND (T.i IS DISTINCT FROM S.i OR TO_JSON_STRING(T.tags) IS DISTINCT FROM TO_JSON_STRING(S.tags) "
                               "OR TO_JSON_STRING(T.j) IS DISTINCT FROM TO_JSON_STRING(S.j) OR T.ts IS DISTINCT FROM S.ts) THEN UPDATE SET %1 "
                               "WHEN NOT MATCHED THEN INSERT (%2) VALUES (%3)")
                    .arg(assignments.join(", "), names.join(", "), sourced.join(", "));
            return m_client->query(statement, BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                                                  "rows", arrayType(QJsonObject{{"type", "STRUCT"}, {"structTypes", structTypes}}),
                                                  QJsonObject{{"arrayValues", rows}})}));
        };
        const BigQueryReply first = merge(QJsonArray{QJsonObject{{"structValues", full}}, QJsonObject{{"structValues", empty}}});
        QVERIFY2(first.status == 200, qPrintable(first.describe()));
        QCOMPARE(first.json.value("numDmlAffectedRows").toString(), QStringLiteral("2"));
        QCOMPARE(first.json.value("dmlStats").toObject().value("insertedRowCount").toString(), QStringLiteral("2"));

        const BigQueryReply read = m_client->run(QStringLiteral("SELECT %1 FROM `test-project.sql_ds.all_types` ORDER BY id DESC").arg(names.join(", ")),
                                                 QJsonObject{{"formatOptions", QJsonObject{{"useInt64Timestamp", true}}}});
        const QJsonArray expectedFull{"full", "9223372036854775807", "0.1", "-12345678901234567890.123456789",
                                      "1.00000000000000000000000000000000000001", "true", "AAEC/w==", "1706351400123456", "2024-02-29",
                                      "2024-01-27T10:30:00.500000", "23:59:59.999999", "POINT(1 2)", "{\"a\":{\"k\":null},\"b\":[1,2.5,\"x\"]}",
                                      QJsonArray{QJsonObject{{"v", hostile}}, QJsonObject{{"v", ""}}, QJsonObject{{"v", "x"}}},
                                      QJsonObject{{"f", QJsonArray{QJsonObject{{"v", hostile}}, QJsonObject{{"v", "10115"}}}}},
                                      QJsonArray{QJsonObject{{"v", QJsonObject{{"f", QJsonArray{QJsonObject{{"v", "A"}}, QJsonObject{{"v", "1"}}}}}}},
                                                 QJsonObject{{"v", QJsonObject{{"f", QJsonArray{QJsonObject{{"v", QJsonValue::Null}},
                                                                                                QJsonObject{{"v", QJsonValue::Null}}}}}}}}};
        QJsonArray expectedEmpty{"empty"};
        for (int i = 1; i < 13; ++i)
            expectedEmpty.append(QJsonValue::Null);
        expectedEmpty << QJsonArray() << QJsonValue::Null << QJsonArray();
        QCOMPARE(read.rows().at(0).toArray(), expectedFull);
        QCOMPARE(read.rows().at(1).toArray(), expectedEmpty);

        const BigQueryReply again = merge(QJsonArray{QJsonObject{{"structValues", full}}, QJsonObject{{"structValues", empty}}});
        QCOMPARE(again.json.value("numDmlAffectedRows").toString(), QStringLiteral("0"));
        QJsonObject changed = full;
        changed.insert("j", BigQueryTestClient::value("{\"a\":{\"k\":null},\"b\":[1,2.5,\"y\"]}"));
        const BigQueryReply third = merge(QJsonArray{QJsonObject{{"structValues", changed}}, QJsonObject{{"structValues", empty}}});
        QCOMPARE(third.json.value("dmlStats").toObject().value("updatedRowCount").toString(), QStringLiteral("1"));
        QCOMPARE(third.json.value("dmlStats").toObject().value("insertedRowCount").toString(), QStringLiteral("0"));
    }

    // GoogleSQL's NULL-safe equality (NULL IS NOT DISTINCT FROM NULL holds, a value against NULL does not) and
    // UNIX_MILLIS's flooring, then a MERGE whose clauses test each source row's own BOOL and TIMESTAMP members: the
    // compare-and-set on updated_at that the canonical layer's conditional writes rely on.
    void nullSafeEqualityAndPerRowMergeConditions()
    {
        const BigQueryReply scalars
            = m_client->run(QStringLiteral("SELECT NULL IS NOT DISTINCT FROM NULL, 1 IS NOT DISTINCT FROM NULL, 1 IS "
                                           "NOT DISTINCT FROM 1, 1 IS DISTINCT FROM NULL, "
                                           "'a' IS NOT DISTINCT FROM 'b', NOT (2 IS NOT DISTINCT FROM 3), "
                                           "UNIX_MILLIS(TIMESTAMP_MICROS(1706351400123999)), "
                                           "UNIX_MILLIS(TIMESTAMP_MICROS(-1)), UNIX_MILLIS(CAST(NULL AS TIMESTAMP)) IS "
                                           "NOT DISTINCT FROM UNIX_MILLIS(CAST(NULL AS TIMESTAMP))"));
        QVERIFY2(scalars.status == 200, qPrintable(scalars.describe()));
        QCOMPARE(scalars.rows().first().toArray(),
                 (QJsonArray{"true", "false", "true", "true", "false", "true", "1706351400123", "-1", "true"}));
        const BigQueryReply mismatch = m_client->query(QStringLiteral("SELECT 1 IS NOT DISTINCT FROM 'a'"));
        QCOMPARE(mismatch.status, 400);

        const QString table = QStringLiteral("`test-project.sql_ds.versions`");
        QVERIFY(m_client
                    ->createTable(
                        QStringLiteral("sql_ds"), QStringLiteral("versions"),
                        QJsonArray{field(QStringLiteral("id"), QStringLiteral("STRING"), QStringLiteral("REQUIRED")),
                                   field(QStringLiteral("name"), QStringLiteral("STRING")),
                                   field(QStringLiteral("updated_at"), QStringLiteral("TIMESTAMP"))})
                    .status
                == 200);
        m_client->run(
            QStringLiteral(
                "INSERT INTO %1 (id, name, updated_at) VALUES ('same', 'old', TIMESTAMP_MICROS(1706351400123456)), "
                "('bare', 'old', NULL), ('moved', 'old', TIMESTAMP_MICROS(1706351400999000)), "
                "('exists', 'old', TIMESTAMP_MICROS(1706351400000000))")
                .arg(table));
        const QJsonArray structTypes{
            QJsonObject{{"name", "id"}, {"type", BigQueryTestClient::scalar("STRING")}},
            QJsonObject{{"name", "expect_present"}, {"type", BigQueryTestClient::scalar("BOOL")}},
            QJsonObject{{"name", "expected"}, {"type", BigQueryTestClient::scalar("TIMESTAMP")}}};
        const auto row = [](const char *id, const char *present, const QJsonValue &expected) {
            return QJsonObject{{"structValues",
                                QJsonObject{{"id", BigQueryTestClient::value(QLatin1String(id))},
                                            {"expect_present", BigQueryTestClient::value(QLatin1String(present))},
                                            {"expected", BigQueryTestClient::value(expected)}}}};
        };
        const QJsonArray rows{row("same", "true", "2024-01-27T10:30:00.123Z"), // the same millisecond
                              row("bare", "true", QJsonValue::Null),           // NULL = NULL
                              row("moved", "true", "2024-01-27T10:30:00.123Z"),
                              row("exists", "false", QJsonValue::Null), // may only create
                              row("new", "false", QJsonValue::Null),
                              row("gone", "true", "2024-01-27T10:30:00Z")}; // planned from a row that vanished
        const BigQueryReply merge
            = m_client->run(QStringLiteral("MERGE %1 T USING UNNEST(@rows) S ON T.id = S.id "
                                           "WHEN MATCHED AND S.expect_present AND UNIX_MILLIS(T.updated_at) IS NOT "
                                           "DISTINCT FROM UNIX_MILLIS(S.expected) "
                                           "THEN UPDATE SET name = 'new', updated_at = CURRENT_TIMESTAMP() "
                                           "WHEN NOT MATCHED AND NOT S.expect_present THEN INSERT (id, name, "
                                           "updated_at) VALUES (S.id, 'new', CURRENT_TIMESTAMP())")
                                .arg(table),
                            BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                                "rows", arrayType(QJsonObject{{"type", "STRUCT"}, {"structTypes", structTypes}}),
                                QJsonObject{{"arrayValues", rows}})}));
        QCOMPARE(merge.json.value("dmlStats").toObject(),
                 (QJsonObject{{"insertedRowCount", "1"}, {"updatedRowCount", "2"}, {"deletedRowCount", "0"}}));
        const BigQueryReply read = m_client->run(QStringLiteral("SELECT id, name FROM %1 ORDER BY id").arg(table));
        QCOMPARE(column(read, 0), (QStringList{"bare", "exists", "moved", "new", "same"}));
        QCOMPARE(column(read, 1), (QStringList{"new", "old", "old", "new", "new"}));
    }

    void mergeMatchingTwoSourceRowsFails()
    {
        seedPeople();
        const BigQueryReply reply = m_client->query(
            QStringLiteral("MERGE %1 T USING UNNEST([1, 1]) AS k ON T.id = k WHEN MATCHED THEN UPDATE SET name = 'x'").arg(kTable));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorMessage(), QStringLiteral("UPDATE/MERGE must match at most one source row for each target row"));
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT name FROM %1 WHERE id = 1").arg(kTable)), 0), QStringList{"Ann"});
    }

    void mergeDeletesAndNotMatchedBySource()
    {
        seedPeople();
        const BigQueryReply reply = m_client->run(
            QStringLiteral("MERGE %1 T USING (SELECT id FROM %1 WHERE id <= 2) S ON T.id = S.id "
                           "WHEN MATCHED AND T.id = 1 THEN DELETE WHEN MATCHED THEN UPDATE SET name = 'two' "
                           "WHEN NOT MATCHED BY SOURCE AND T.id > 4 THEN DELETE")
                .arg(kTable));
        QCOMPARE(reply.json.value("dmlStats").toObject(),
                 (QJsonObject{{"insertedRowCount", "0"}, {"updatedRowCount", "1"}, {"deletedRowCount", "2"}}));
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT name FROM %1 ORDER BY id").arg(kTable)), 0), (QStringList{"two", "NULL", "Bo%b"}));
    }

    void updateDeleteAndInsertReportTheirCounts()
    {
        seedPeople();
        const BigQueryReply update = m_client->run(QStringLiteral("UPDATE %1 SET score = score * 2, name = UPPER(name) WHERE score > 1").arg(kTable));
        QCOMPARE(update.json.value("numDmlAffectedRows").toString(), QStringLiteral("3"));
        QCOMPARE(update.json.value("dmlStats").toObject(), (QJsonObject{{"updatedRowCount", "3"}}));
        QVERIFY(!update.json.contains("rows"));
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT score FROM %1 ORDER BY id").arg(kTable)), 0),
                 (QStringList{"3.0", "NULL", "6.0", "-2.25", "20.0"}));
        const BigQueryReply remove = m_client->run(QStringLiteral("DELETE FROM %1 WHERE name IS NULL OR id = 2").arg(kTable));
        QCOMPARE(remove.json.value("dmlStats").toObject(), (QJsonObject{{"deletedRowCount", "2"}}));
        const BigQueryReply insert = m_client->run(QStringLiteral("INSERT INTO %1 (id, name) VALUES (7, 'g'), (8, DEFAULT)").arg(kTable));
        QCOMPARE(insert.json.value("numDmlAffectedRows").toString(), QStringLiteral("2"));
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT TO_JSON_STRING(tags) FROM %1 WHERE id = 8").arg(kTable)), 0), QStringList{"[]"});
        const BigQueryReply noWhere = m_client->query(QStringLiteral("UPDATE %1 SET name = 'x'").arg(kTable));
        QCOMPARE(noWhere.errorMessage(), QStringLiteral("UPDATE must have a WHERE clause at [1:1]"));
        const BigQueryReply required = m_client->query(QStringLiteral("INSERT INTO %1 (name) VALUES ('x')").arg(kTable));
        QCOMPARE(required.status, 400);
        QVERIFY2(required.errorMessage().contains(QLatin1String("id")), qPrintable(required.describe()));
    }

    void googleSqlErrorsAreInvalidQueryWithPositions()
    {
        seedPeople();
        const QList<QPair<QString, QString>> cases{
            {QStringLiteral("SELEC 1"), QStringLiteral("Syntax error: Unexpected identifier \"SELEC\" at [1:1]")},
            {QStringLiteral("SELECT 1 FROM"), QStringLiteral("Syntax error: Unexpected end of statement at [1:14]")},
            {QStringLiteral("SELECT foo FROM %1").arg(kTable), QStringLiteral("Unrecognized name: foo at [1:8]")},
            {QStringLiteral("SELECT FOO(1)"), QStringLiteral("Function not found: FOO at [1:8]")},
            {QStringLiteral("SELECT id FROM %1 WHERE name = 1").arg(kTable),
             QStringLiteral("No matching signature for operator = for argument types: STRING, INT64 at [1:46]")},
            {QStringLiteral("UPDATE %1 SET score = 'high' WHERE id = 1").arg(kTable),
             QStringLiteral("Value of type STRING cannot be assigned to score, which has type FLOAT64 at [1:44]")},
            {QStringLiteral("SELECT id FROM %1 WHERE id = @missing").arg(kTable), QStringLiteral("Query parameter 'missing' not found at [1:51]")},
            {QStringLiteral("SELECT * FROM %1 JOIN %1 USING (id)").arg(kTable),
             QStringLiteral("tf-bigquery-emulator does not support joins at [1:39]")},
            {QStringLiteral("SELECT tags = tags FROM %1").arg(kTable), QStringLiteral("Equality is not defined for arguments of type ARRAY<STRING> at [1:8]")},
            {QStringLiteral("SELECT 'unclosed"), QStringLiteral("Syntax error: Unclosed string literal at [1:8]")},
        };
        for (const auto &[sql, message] : cases) {
            const BigQueryReply reply = m_client->query(sql);
            QVERIFY2(reply.status == 400, qPrintable(sql + QStringLiteral(" → ") + reply.describe()));
            QCOMPARE(reply.errorReason(), QStringLiteral("invalidQuery"));
            QCOMPARE(reply.errorMessage(), message);
            QCOMPARE(reply.json.value("error").toObject().value("status").toString(), QStringLiteral("INVALID_ARGUMENT"));
        }
    }

    void tableNamesResolveLikeBigQuery()
    {
        seedPeople();
        const BigQueryReply missing = m_client->query(QStringLiteral("SELECT * FROM `test-project.sql_ds.nope`"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.errorReason(), QStringLiteral("notFound"));
        QCOMPARE(missing.errorMessage(), QStringLiteral("Not found: Table test-project:sql_ds.nope was not found in location US"));
        QCOMPARE(m_client->query(QStringLiteral("SELECT * FROM nods.t")).errorMessage(),
                 QStringLiteral("Not found: Dataset test-project:nods was not found in location US"));
        QCOMPARE(m_client->query(QStringLiteral("SELECT * FROM t")).errorMessage(),
                 QStringLiteral("Table name \"t\" missing dataset while no default dataset is set in the request."));
        const QJsonObject defaultDataset{{"defaultDataset", QJsonObject{{"projectId", "test-project"}, {"datasetId", "sql_ds"}}}};
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT COUNT(*) FROM t"), defaultDataset), 0), QStringList{"5"});
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT COUNT(*) FROM sql_ds.t")), 0), QStringList{"5"});
        QCOMPARE(column(m_client->run(QStringLiteral("SELECT COUNT(*) FROM `test-project`.sql_ds.t")), 0), QStringList{"5"});
    }

    // §1.1: values as strings, numbers, booleans or null; missing parameterValue is NULL; TIMESTAMP in the Node and the
    // Python form; parameterMode in any case; positional parameters.
    void parametersOfEveryType()
    {
        const QList<std::tuple<QString, QJsonObject, QJsonValue>> parameters{
            {"s", BigQueryTestClient::scalar("STRING"), BigQueryTestClient::value("x")},
            {"i", BigQueryTestClient::scalar("INT64"), BigQueryTestClient::value(42)},
            {"i2", BigQueryTestClient::scalar("INT64"), BigQueryTestClient::value("-9223372036854775808")},
            {"f", BigQueryTestClient::scalar("FLOAT64"), BigQueryTestClient::value(1.25)},
            {"b", BigQueryTestClient::scalar("BOOL"), BigQueryTestClient::value(true)},
            {"n", BigQueryTestClient::scalar("NUMERIC"), BigQueryTestClient::value("1.10")},
            {"t1", BigQueryTestClient::scalar("TIMESTAMP"), BigQueryTestClient::value("2024-01-27T00:00:00.000Z")},
            {"t2", BigQueryTestClient::scalar("TIMESTAMP"), BigQueryTestClient::value("2024-01-27 00:00:00.000000+00:00")},
            {"d", BigQueryTestClient::scalar("DATE"), BigQueryTestClient::value("2024-01-27")},
            {"dt", BigQueryTestClient::scalar("DATETIME"), BigQueryTestClient::value("2024-01-27 10:30:00")},
            {"by", BigQueryTestClient::scalar("BYTES"), BigQueryTestClient::value("aGk=")},
            {"j", BigQueryTestClient::scalar("JSON"), BigQueryTestClient::value("{\"k\":1}")},
            {"nul", BigQueryTestClient::scalar("STRING"), BigQueryTestClient::value(QJsonValue::Null)},
            {"missing", BigQueryTestClient::scalar("INT64"), QJsonValue()},
            {"st", QJsonObject{{"type", "STRUCT"}, {"structTypes", QJsonArray{QJsonObject{{"name", "a"}, {"type", BigQueryTestClient::scalar("INT64")}},
                                                                              QJsonObject{{"name", "b"}, {"type", BigQueryTestClient::scalar("STRING")}}}}},
             QJsonObject{{"structValues", QJsonObject{{"a", BigQueryTestClient::value(1)}, {"b", BigQueryTestClient::value("x")}}}}},
        };
        QJsonArray list;
        for (const auto &[name, type, value] : parameters)
            list.append(BigQueryTestClient::parameter(name, type, value.toObject()));
        const BigQueryReply reply = m_client->run(
            QStringLiteral("SELECT @s, @i + 1, @i2, @f * 2, NOT @b, @n, @t1 = @t2, UNIX_MICROS(@t1), @d, @dt, TO_HEX(@by), TO_JSON_STRING(@j), "
                           "@nul IS NULL, @missing IS NULL, @st.b, TO_JSON_STRING(@st)"),
            QJsonObject{{"parameterMode", "named"}, {"queryParameters", list}});
        QCOMPARE(reply.rows().first().toArray(),
                 (QJsonArray{"x", "43", "-9223372036854775808", "2.5", "false", "1.1", "true", "1706313600000000", "2024-01-27",
                             "2024-01-27T10:30:00", "6869", "{\"k\":1}", "true", "true", "x", "{\"a\":1,\"b\":\"x\"}"}));

        const BigQueryReply positional = m_client->run(
            QStringLiteral("SELECT ? || ?, ?"),
            QJsonObject{{"parameterMode", "positional"},
                        {"queryParameters", QJsonArray{BigQueryTestClient::parameter({}, BigQueryTestClient::scalar("STRING"), BigQueryTestClient::value("a")),
                                                       BigQueryTestClient::parameter({}, BigQueryTestClient::scalar("STRING"), BigQueryTestClient::value("b")),
                                                       BigQueryTestClient::parameter({}, BigQueryTestClient::scalar("INT64"), BigQueryTestClient::value("3"))}}});
        QCOMPARE(positional.rows().first().toArray(), (QJsonArray{"ab", "3"}));

        const BigQueryReply bad = m_client->query(
            QStringLiteral("SELECT @i"), BigQueryTestClient::namedParameters(QJsonArray{BigQueryTestClient::parameter(
                                             "i", BigQueryTestClient::scalar("INT64"), BigQueryTestClient::value("forty-two"))}));
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.errorMessage().contains(QLatin1String("\"forty-two\" is not a valid INT64 value")), qPrintable(bad.describe()));
    }

    void nullArraysComeBackEmptyAndNullElementsAreRefused()
    {
        const BigQueryReply reply = m_client->run(QStringLiteral("SELECT CAST(NULL AS ARRAY<STRING>) AS a, ARRAY<INT64>[] AS b"));
        QCOMPARE(reply.rows().first().toArray(), (QJsonArray{QJsonArray(), QJsonArray()}));
        const BigQueryReply withNull = m_client->query(QStringLiteral("SELECT [1, NULL] AS a"));
        QCOMPARE(withNull.status, 400);
        QCOMPARE(withNull.errorMessage(), QStringLiteral("Array cannot have a null element; error in writing field a"));
    }
};

QTEST_GUILESS_MAIN(TestBigQuerySql)
#include "tst_bigqueryemulator_sql.moc"
