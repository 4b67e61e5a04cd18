#include "connectors/bigquery/celldecoder.h"
#include "connectors/bigquery/contactrowreader.h"
#include "connectors/bigquery/parameterencoder.h"
#include "core/connector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

using namespace tf;

namespace {

// The spec's verbatim responses: §1.2's recorded jobs.query answer (PY tests/unit/test_table_arrow.py) and §1.3's
// nested/repeated payload that the official Node client decoded (PROBE).
QJsonObject fixture(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("fixtures/") + QLatin1String(name)));
    file.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(file.readAll()).object();
}

QList<SchemaField> schemaOf(const QJsonObject &response)
{
    return SchemaField::listFromJson(response.value(QStringLiteral("schema")).toObject().value(QStringLiteral("fields")),
                                     QStringLiteral("test"));
}

SchemaField column(const QString &type, const QString &mode = QStringLiteral("NULLABLE"))
{
    SchemaField f;
    f.name = QStringLiteral("c");
    f.type = SchemaField::canonicalType(type);
    f.mode = mode;
    return f;
}

QJsonObject cell(const QJsonValue &v)
{
    return QJsonObject{{QStringLiteral("v"), v}};
}

QString errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const ConnectorError &error) {
        return error.message();
    }
    return QString();
}

} // namespace

class TestBigQueryCells : public QObject
{
    Q_OBJECT

private slots:
    void decodesTheRecordedResponse()
    {
        const QJsonObject response = fixture("recorded-query-response.json");
        const QList<SchemaField> schema = schemaOf(response);
        QCOMPARE(schema.at(1).type, QStringLiteral("INT64")); // legacy INTEGER
        const QJsonArray rows = response.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 9);
        qint64 sum = 0;
        for (const QJsonValue &row : rows) {
            const QVariantMap values = CellDecoder::decodeRow(schema, row);
            QVERIFY(values.value(QStringLiteral("name")).toString().startsWith(QLatin1String("Ti")));
            QCOMPARE(values.value(QStringLiteral("number")).userType(), QMetaType::LongLong);
            sum += values.value(QStringLiteral("number")).toLongLong();
        }
        QCOMPARE(sum, 6 + 325 + 26 + 10 + 17 + 22 + 6 + 229 + 8);
    }

    void decodesNestedAndRepeatedCells()
    {
        const QJsonObject response = fixture("nested-query-response.json");
        const QList<SchemaField> schema = schemaOf(response);
        const QJsonArray rows = response.value(QStringLiteral("rows")).toArray();

        const QVariantMap first = CellDecoder::decodeRow(schema, rows.at(0));
        QCOMPARE(first.value(QStringLiteral("id")).toLongLong(), 1);
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("name1"));
        QCOMPARE(first.value(QStringLiteral("score")).toDouble(), 1.5);
        QCOMPARE(first.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(first.value(QStringLiteral("ts")).toDateTime(), QDateTime(QDate(2024, 1, 27), QTime(0, 0), Qt::UTC));
        QCOMPARE(first.value(QStringLiteral("d")).toDate(), QDate(2024, 1, 27));
        QCOMPARE(first.value(QStringLiteral("dt")).toDateTime(), QDateTime(QDate(2024, 1, 27), QTime(0, 0), Qt::UTC));
        QCOMPARE(first.value(QStringLiteral("payload")).value<QJsonValue>(), QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}));
        QCOMPARE(first.value(QStringLiteral("tags")).toList(), (QVariantList{QStringLiteral("x"), QStringLiteral("y")}));
        const QVariantMap addr = first.value(QStringLiteral("addr")).toMap();
        QCOMPARE(addr.value(QStringLiteral("city")).toString(), QStringLiteral("Berlin"));
        QCOMPARE(addr.value(QStringLiteral("zip")).toLongLong(), 10115);
        const QVariantList items = first.value(QStringLiteral("items")).toList();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.at(0).toMap().value(QStringLiteral("sku")).toString(), QStringLiteral("A1"));
        QCOMPARE(items.at(0).toMap().value(QStringLiteral("qty")).toLongLong(), 2);

        const QVariantMap second = CellDecoder::decodeRow(schema, rows.at(1));
        QVERIFY(!second.value(QStringLiteral("name")).isValid());
        QVERIFY(!second.value(QStringLiteral("ts")).isValid());
        QVERIFY(!second.value(QStringLiteral("payload")).isValid());
        QVERIFY(!second.value(QStringLiteral("addr")).isValid());
        QCOMPARE(second.value(QStringLiteral("active")).toBool(), false);
        QCOMPARE(second.value(QStringLiteral("tags")).toList(), QVariantList());
        QCOMPARE(second.value(QStringLiteral("items")).toList(), QVariantList());
    }

    void timestampsInEveryOutputFormat_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("int64 µs") << QStringLiteral("1706313600000000") << Q_INT64_C(1706313600000000);
        QTest::newRow("float seconds, Java notation") << QStringLiteral("1.7063136E9") << Q_INT64_C(1706313600000000);
        // 16 significant digits: a double would not keep every microsecond, the digit shift does.
        QTest::newRow("float seconds with µs") << QStringLiteral("1.561017697269367E9") << Q_INT64_C(1561017697269367);
        QTest::newRow("goccy emulator form") << QStringLiteral("1706313600.000000") << Q_INT64_C(1706313600000000);
        QTest::newRow("before 1970") << QStringLiteral("-1.5E0") << Q_INT64_C(-1500000);
        QTest::newRow("negative µs") << QStringLiteral("-86400000000") << Q_INT64_C(-86400000000);
        QTest::newRow("ISO 12 fraction digits") << QStringLiteral("2024-01-27T00:00:00.000000000000Z") << Q_INT64_C(1706313600000000);
        QTest::newRow("ISO µs") << QStringLiteral("2024-01-27T00:00:00.123456Z") << Q_INT64_C(1706313600123456);
        QTest::newRow("ISO space, offset") << QStringLiteral("2024-01-27 01:00:00.5+01:00") << Q_INT64_C(1706313600500000);
        QTest::newRow("ISO UTC suffix") << QStringLiteral("2024-01-27 00:00:00 UTC") << Q_INT64_C(1706313600000000);
    }

    void timestampsInEveryOutputFormat()
    {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        QCOMPARE(CellDecoder::timestampMicros(text), std::optional<qint64>(micros));
        const QDateTime decoded = CellDecoder::decode(column(QStringLiteral("TIMESTAMP")), cell(text)).toDateTime();
        QCOMPARE(decoded.toMSecsSinceEpoch(), micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000));
        QCOMPARE(decoded.timeSpec(), Qt::UTC);
    }

    void notATimestamp()
    {
        for (const char *text : {"", "yesterday", "1.2.3", "2024-13-45T00:00:00Z", "1E999", "99999999999999999999"})
            QVERIFY2(!CellDecoder::timestampMicros(QString::fromLatin1(text)), text);
    }

    void scalarsOfEveryType()
    {
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("FLOAT")), cell(QStringLiteral("1e-3"))).toDouble(), 0.001);
        QVERIFY(std::isnan(CellDecoder::decode(column(QStringLiteral("FLOAT64")), cell(QStringLiteral("NaN"))).toDouble()));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("FLOAT64")), cell(QStringLiteral("-Infinity"))).toDouble(),
                 -std::numeric_limits<double>::infinity());
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("NUMERIC")), cell(QStringLiteral("123.456000000"))).toString(),
                 QStringLiteral("123.456000000"));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("BOOL")), cell(QStringLiteral("t"))).toBool(), true);
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("BYTES")), cell(QStringLiteral("AAEC"))).toByteArray(),
                 QByteArray("\x00\x01\x02", 3));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("TIME")), cell(QStringLiteral("10:30:00.123456"))).toTime(),
                 QTime(10, 30, 0, 123));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("DATETIME")), cell(QStringLiteral("2024-01-27 10:30:00.123456"))).toDateTime(),
                 QDateTime(QDate(2024, 1, 27), QTime(10, 30, 0, 123), Qt::UTC));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("GEOGRAPHY")), cell(QStringLiteral("POINT(1 2)"))).toString(),
                 QStringLiteral("POINT(1 2)"));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("JSON")), cell(QStringLiteral("\"text\""))).value<QJsonValue>(),
                 QJsonValue(QStringLiteral("text")));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("JSON")), cell(QStringLiteral("[1,2.5,null]"))).value<QJsonValue>(),
                 QJsonValue(QJsonArray{1, 2.5, QJsonValue()}));
        QCOMPARE(CellDecoder::decode(column(QStringLiteral("STRING"), QStringLiteral("REPEATED")), cell(QJsonValue())).toList(),
                 QVariantList()); // a NULL array
    }

    void wrongCellsAreClearErrors_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QJsonValue>("cellValue");
        QTest::addColumn<QString>("expected");
        QTest::newRow("number for INT64") << "INTEGER" << "NULLABLE" << QJsonValue(42) << "INT64 cell is a number (42), expected a string";
        QTest::newRow("bad int") << "INT64" << "NULLABLE" << QJsonValue(QStringLiteral("4x2")) << "'4x2' is not a valid INT64";
        QTest::newRow("bad bool") << "BOOLEAN" << "NULLABLE" << QJsonValue(QStringLiteral("yes")) << "'yes' is not a valid BOOL";
        QTest::newRow("bad json") << "JSON" << "NULLABLE" << QJsonValue(QStringLiteral("{\"a\":")) << "JSON cell '{\"a\":' does not parse";
        QTest::newRow("bad timestamp") << "TIMESTAMP" << "NULLABLE" << QJsonValue(QStringLiteral("soon")) << "'soon' is not a valid TIMESTAMP";
        QTest::newRow("bad base64") << "BYTES" << "NULLABLE" << QJsonValue(QStringLiteral("!!")) << "'!!' is not a valid BYTES";
        QTest::newRow("scalar for REPEATED") << "STRING" << "REPEATED" << QJsonValue(QStringLiteral("x")) << "REPEATED cell is a string, expected a list";
        QTest::newRow("bare element") << "STRING" << "REPEATED" << QJsonValue(QJsonArray{QStringLiteral("x")}) << "column 'c[0]': element is a string";
        QTest::newRow("list for STRING") << "STRING" << "NULLABLE" << QJsonValue(QJsonArray{}) << "STRING cell is a list";
    }

    void wrongCellsAreClearErrors()
    {
        QFETCH(QString, type);
        QFETCH(QString, mode);
        QFETCH(QJsonValue, cellValue);
        QFETCH(QString, expected);
        const QString message = errorOf([&] { CellDecoder::decode(column(type, mode), cell(cellValue)); });
        QVERIFY2(message.contains(QLatin1String("column 'c")) && message.contains(expected), qPrintable(message));
    }

    void structErrorsNameTheMemberPath()
    {
        const QJsonObject response = fixture("nested-query-response.json");
        const QList<SchemaField> schema = schemaOf(response);
        QJsonArray cells = response.value(QStringLiteral("rows")).toArray().at(0).toObject().value(QStringLiteral("f")).toArray();
        cells[9] = cell(QJsonObject{{QStringLiteral("f"), QJsonArray{cell(QStringLiteral("Berlin")), cell(QStringLiteral("ten"))}}});
        const QString message = errorOf([&] { CellDecoder::decodeRow(schema, QJsonObject{{QStringLiteral("f"), cells}}); });
        QVERIFY2(message.contains(QLatin1String("column 'addr.zip'")) && message.contains(QLatin1String("'ten'")), qPrintable(message));
        const QString short_ = errorOf([&] {
            CellDecoder::decodeRow(schema, QJsonObject{{QStringLiteral("f"), QJsonArray{cell(QStringLiteral("1"))}}});
        });
        QVERIFY2(short_.contains(QLatin1String("row has 1 cells, the schema 11 columns")), qPrintable(short_));
    }

    // A contract row as BigQuery returns it (encoded here the way §1.3 says every type arrives) becomes the contact
    // that was sent: ParameterEncoder's value of each field read back by ContactRowReader.
    void contractRowRoundTrip()
    {
        Contact contact;
        contact.setId(QStringLiteral("c-1"));
        contact.setValue(QStringLiteral("full_name"), QStringLiteral("Ada 😀"));
        contact.setValue(QStringLiteral("relationship_strength"), 0.1 + 0.2);
        contact.setValue(QStringLiteral("tags"), QStringList{QStringLiteral("a"), QStringLiteral("b")});
        contact.setValue(field::CreatedAt, QDateTime(QDate(1999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC));
        contact.setValue(QStringLiteral("llm_summary"), QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("k"), 1}})));
        QJsonArray cells;
        QJsonArray schema;
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            const QJsonObject value = ParameterEncoder::fieldValue(spec, contact.value(spec.index));
            if (value.contains(QStringLiteral("arrayValues"))) {
                QJsonArray items;
                for (const QJsonValue &item : value.value(QStringLiteral("arrayValues")).toArray())
                    items.append(cell(item.toObject().value(QStringLiteral("value"))));
                cells.append(cell(items));
            } else if (spec.kind == FieldKind::Timestamp && !value.value(QStringLiteral("value")).isNull()) {
                cells.append(cell(QString::number(*CellDecoder::timestampMicros(value.value(QStringLiteral("value")).toString()))));
            } else {
                cells.append(cell(value.value(QStringLiteral("value"))));
            }
            // Results spell types the legacy way and report REQUIRED columns as NULLABLE.
            const QString base = spec.bigqueryBaseType() == QLatin1String("FLOAT64") ? QStringLiteral("FLOAT") : spec.bigqueryBaseType();
            schema.append(QJsonObject{{QStringLiteral("name"), spec.name}, {QStringLiteral("type"), base},
                                      {QStringLiteral("mode"), spec.bigqueryMode() == QLatin1String("REPEATED") ? QStringLiteral("REPEATED") : QStringLiteral("NULLABLE")}});
        }
        const ContactRowReader reader(SchemaField::listFromJson(schema, QStringLiteral("test")), QStringLiteral("test"));
        const QJsonObject row{{QStringLiteral("f"), cells}};
        const Contact back = reader.contact(row, 0);
        QCOMPARE(back, contact);
        QCOMPARE(back.value(QStringLiteral("relationship_strength")).toDouble(), 0.1 + 0.2);
        QVERIFY(!reader.updatedAtMicros(row, 0));
    }

    void resultColumnsOfTheWrongTypeAreASchemaError()
    {
        QJsonArray schema;
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            if (spec.name == QLatin1String("notes"))
                continue;
            const QString type = spec.name == QLatin1String("relationship_strength") ? QStringLiteral("STRING") : spec.bigqueryBaseType();
            schema.append(QJsonObject{{QStringLiteral("name"), spec.name}, {QStringLiteral("type"), type},
                                      {QStringLiteral("mode"), spec.bigqueryMode()}});
        }
        try {
            ContactRowReader(SchemaField::listFromJson(schema, QStringLiteral("x")), QStringLiteral("jobs.query (read changes, job j1)"));
            QFAIL("no error");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Schema);
            const QString message = error.message();
            QVERIFY2(message.contains(QLatin1String("jobs.query (read changes, job j1)")), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("missing column notes")), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("column relationship_strength is STRING, the contract says FLOAT64")), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestBigQueryCells)
#include "tst_bigquerycells.moc"
