#include "bigquerytestclient.h"
#include "support/emulatorprocess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QtTest>

using tf::test::BigQueryReply;
using tf::test::BigQueryTestClient;

namespace {

QJsonObject field(const QString &name, const QString &type, const QString &mode = QStringLiteral("NULLABLE"), const QJsonArray &fields = {})
{
    QJsonObject object{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("mode"), mode}};
    if (!fields.isEmpty())
        object.insert(QStringLiteral("fields"), fields);
    return object;
}

QJsonObject row(const QJsonObject &json, const QString &insertId = QString())
{
    QJsonObject row{{QStringLiteral("json"), json}};
    if (!insertId.isEmpty())
        row.insert(QStringLiteral("insertId"), insertId);
    return row;
}

QJsonObject insertError(int index, const QString &reason, const QString &location, const QString &message)
{
    return QJsonObject{{QStringLiteral("index"), index},
                       {QStringLiteral("errors"), QJsonArray{QJsonObject{{QStringLiteral("reason"), reason},
                                                                         {QStringLiteral("location"), location},
                                                                         {QStringLiteral("debugInfo"), QString()},
                                                                         {QStringLiteral("message"), message}}}}};
}

const QString kBufferMessage =
    QStringLiteral("UPDATE or DELETE statement over table test-project.st_ds.events would affect rows in the streaming buffer, which is not supported");

} // namespace

// tabledata.insertAll and tabledata.list of tf-bigquery-emulator (bigquery-rest.md §2, §3.2, §5.4.8): insertId
// de-duplication, skipInvalidRows / ignoreUnknownValues, insertErrors with HTTP 200, the 10 MB and 50,000-row limits,
// the streaming buffer that blocks DML, paging without a schema.
class TestBigQueryStreaming : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<BigQueryTestClient> m_client;

    qint64 rowCount()
    {
        return m_client->send("GET", QStringLiteral("datasets/st_ds/tables/events/data")).json.value(QStringLiteral("totalRows")).toString().toLongLong();
    }

    BigQueryReply insert(const QJsonArray &rows, const QJsonObject &options = {})
    {
        return m_client->insertAll(QStringLiteral("st_ds"), QStringLiteral("events"), rows, options);
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
        m_client->admin("POST", QStringLiteral("streaming-buffer"), QJsonObject{{QStringLiteral("ageSeconds"), 1800}});
        QCOMPARE(m_client->createDataset(QStringLiteral("st_ds")).status, 200);
        const QJsonArray fields{field(QStringLiteral("id"), QStringLiteral("INT64"), QStringLiteral("REQUIRED")),
                                field(QStringLiteral("name"), QStringLiteral("STRING")),
                                field(QStringLiteral("updated_at"), QStringLiteral("TIMESTAMP")),
                                field(QStringLiteral("payload"), QStringLiteral("JSON")),
                                field(QStringLiteral("tags"), QStringLiteral("STRING"), QStringLiteral("REPEATED")),
                                field(QStringLiteral("addr"), QStringLiteral("RECORD"), QStringLiteral("NULLABLE"),
                                      QJsonArray{field(QStringLiteral("city"), QStringLiteral("STRING"))})};
        QCOMPARE(m_client->createTable(QStringLiteral("st_ds"), QStringLiteral("events"), fields).status, 200);
    }

    // §2.1's request: rows land with every field, a repeated insertId lands once.
    void insertAllStoresRowsAndDeduplicatesByInsertId()
    {
        const QJsonArray rows{row(QJsonObject{{"id", 1}, {"name", "a"}, {"updated_at", "2024-01-27T00:00:00.000Z"}, {"payload", "{\"k\":1}"},
                                              {"tags", QJsonArray{"x"}}, {"addr", QJsonObject{{"city", "Berlin"}}}},
                                  QStringLiteral("3f1c9a0e-1b7d-4a53-9a56-0d5c3b9d2e11")),
                              row(QJsonObject{{"id", 2}, {"name", QJsonValue::Null}}, QStringLiteral("9b2e7c41-5c0a-4d2b-8f3e-7a6b5c4d3e2f")),
                              row(QJsonObject{{"id", 2}, {"name", "dup"}}, QStringLiteral("9b2e7c41-5c0a-4d2b-8f3e-7a6b5c4d3e2f"))};
        const BigQueryReply reply = insert(rows);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json, (QJsonObject{{"kind", "bigquery#tableDataInsertAllResponse"}}));
        QCOMPARE(rowCount(), 2);
        QCOMPARE(insert(rows).status, 200);
        QCOMPARE(rowCount(), 2);
        const BigQueryReply read = m_client->run(QStringLiteral("SELECT id, name, UNIX_MICROS(updated_at), payload, tags, addr.city FROM st_ds.events ORDER BY id"));
        QCOMPARE(read.rows(), (QJsonArray{QJsonArray{"1", "a", "1706313600000000", "{\"k\":1}", QJsonArray{QJsonObject{{"v", "x"}}}, "Berlin"},
                                          QJsonArray{"2", QJsonValue::Null, QJsonValue::Null, QJsonValue::Null, QJsonArray(), QJsonValue::Null}}));
        // A row without insertId is never de-duplicated.
        insert(QJsonArray{row(QJsonObject{{"id", 3}})});
        insert(QJsonArray{row(QJsonObject{{"id", 3}})});
        QCOMPARE(rowCount(), 4);
    }

    // §2.1: without skipInvalidRows one bad row fails the request, HTTP 200, the others reported as stopped.
    void anInvalidRowStopsTheWholeRequest()
    {
        const BigQueryReply reply = insert(QJsonArray{row(QJsonObject{{"id", 1}}), row(QJsonObject{{"id", 2}, {"nosuchfield", 1}}),
                                                      row(QJsonObject{{"id", 3}}), row(QJsonObject{{"name", "no id"}})});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(QStringLiteral("insertErrors")).toArray(),
                 (QJsonArray{insertError(1, "invalid", "nosuchfield", "no such field: nosuchfield."),
                             insertError(3, "invalid", "id", "Missing required field: id."), insertError(0, "stopped", "", ""),
                             insertError(2, "stopped", "", "")}));
        QCOMPARE(rowCount(), 0);
    }

    void skipInvalidRowsInsertsTheValidOnes()
    {
        const BigQueryReply reply = insert(QJsonArray{row(QJsonObject{{"id", 1}}), row(QJsonObject{{"id", "x"}}),
                                                      row(QJsonObject{{"id", 3}, {"updated_at", "yesterday"}}), row(QJsonObject{{"id", 4}})},
                                           QJsonObject{{"skipInvalidRows", true}});
        QCOMPARE(reply.json.value(QStringLiteral("insertErrors")).toArray(),
                 (QJsonArray{insertError(1, "invalid", "id", "Cannot convert value to integer (bad value): x"),
                             insertError(2, "invalid", "updated_at",
                                         "Could not parse 'yesterday' as a timestamp. Required format is YYYY-MM-DD HH:MM[:SS[.SSSSSS]] or "
                                         "YYYY/MM/DD HH:MM[:SS[.SSSSSS]]")}));
        QCOMPARE(rowCount(), 2);
    }

    void ignoreUnknownValuesDropsUnknownFields()
    {
        const BigQueryReply nested = insert(QJsonArray{row(QJsonObject{{"id", 1}, {"addr", QJsonObject{{"city", "B"}, {"zip", 1}}}})});
        QCOMPARE(nested.json.value(QStringLiteral("insertErrors")).toArray(),
                 (QJsonArray{insertError(0, "invalid", "addr.zip", "no such field: addr.zip.")}));
        const BigQueryReply ignored = insert(QJsonArray{row(QJsonObject{{"id", 1}, {"extra", true}, {"addr", QJsonObject{{"city", "B"}, {"zip", 1}}}})},
                                             QJsonObject{{"ignoreUnknownValues", true}, {"skipInvalidRows", true}});
        QCOMPARE(ignored.json, (QJsonObject{{"kind", "bigquery#tableDataInsertAllResponse"}}));
        QCOMPARE(rowCount(), 1);
    }

    void requestsOverTheLimitsAreRefused()
    {
        const BigQueryReply none = insert(QJsonArray());
        QCOMPARE(none.status, 400);
        QCOMPARE(none.errorMessage(), QStringLiteral("No rows present in the request."));

        QJsonArray many;
        for (int i = 0; i < 50001; ++i)
            many.append(row(QJsonObject{{"id", i}}));
        const BigQueryReply tooMany = insert(many);
        QCOMPARE(tooMany.status, 400);
        QCOMPARE(tooMany.errorReason(), QStringLiteral("invalid"));
        QCOMPARE(tooMany.errorMessage(), QStringLiteral("Too many rows present in the request, limit: 50000 row count: 50001."));
        many.removeLast();
        QCOMPARE(insert(many).status, 200);
        QCOMPARE(rowCount(), 50000);

        const QString big(1024 * 1024, QLatin1Char('x'));
        QJsonArray heavy;
        for (int i = 0; i < 11; ++i)
            heavy.append(row(QJsonObject{{"id", i}, {"name", big}}));
        const BigQueryReply tooBig = insert(heavy);
        QCOMPARE(tooBig.status, 400);
        QCOMPARE(tooBig.json, QJsonDocument::fromJson(BigQueryTestClient::specExample(QStringLiteral("spec-2.1-payload-too-large.json"))).object());
    }

    // §2.3: DML over a table with a streaming buffer fails with BigQuery's message until the rows leave the buffer;
    // tables.get shows the buffer meanwhile. Reads and INSERT DML are not affected.
    void streamingBufferBlocksDmlUntilItsAgePasses()
    {
        m_client->admin("POST", QStringLiteral("streaming-buffer"), QJsonObject{{QStringLiteral("ageSeconds"), 2}});
        QCOMPARE(insert(QJsonArray{row(QJsonObject{{"id", 1}}), row(QJsonObject{{"id", 2}})}).status, 200);
        const QJsonObject buffer = m_client->send("GET", QStringLiteral("datasets/st_ds/tables/events")).json.value(QStringLiteral("streamingBuffer")).toObject();
        QCOMPARE(buffer.value(QStringLiteral("estimatedRows")).toString(), QStringLiteral("2"));
        QVERIFY(buffer.value(QStringLiteral("oldestEntryTime")).toString().toLongLong() > 0);
        QVERIFY(buffer.value(QStringLiteral("estimatedBytes")).toString().toLongLong() > 0);

        const QStringList blocked{QStringLiteral("UPDATE st_ds.events SET name = 'x' WHERE id = 1"),
                                  QStringLiteral("DELETE FROM st_ds.events WHERE id = 99"),
                                  QStringLiteral("MERGE st_ds.events T USING UNNEST([1]) AS k ON T.id = k WHEN MATCHED THEN UPDATE SET name = 'm'")};
        for (const QString &sql : blocked) {
            const BigQueryReply reply = m_client->query(sql);
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.errorMessage(), kBufferMessage);
        }
        const BigQueryReply truncate = m_client->query(QStringLiteral("TRUNCATE TABLE st_ds.events"));
        QCOMPARE(truncate.errorMessage(), QStringLiteral("TRUNCATE DML statement over table test-project.st_ds.events would affect rows in "
                                                         "the streaming buffer, which is not supported"));
        QCOMPARE(m_client->run(QStringLiteral("SELECT COUNT(*) FROM st_ds.events")).rows().first().toArray().first().toString(), QStringLiteral("2"));
        m_client->run(QStringLiteral("INSERT INTO st_ds.events (id) VALUES (3)"));

        QElapsedTimer waited;
        waited.start();
        while (m_client->send("GET", QStringLiteral("datasets/st_ds/tables/events")).json.contains(QStringLiteral("streamingBuffer")) && waited.elapsed() < 30000)
            QTest::qWait(100);
        const BigQueryReply merge = m_client->run(
            QStringLiteral("MERGE st_ds.events T USING UNNEST([1]) AS k ON T.id = k WHEN MATCHED THEN UPDATE SET name = 'm'"));
        QCOMPARE(merge.json.value(QStringLiteral("numDmlAffectedRows")).toString(), QStringLiteral("1"));
    }

    void flushSwitchEmptiesTheBuffer()
    {
        QCOMPARE(insert(QJsonArray{row(QJsonObject{{"id", 1}})}).status, 200);
        QCOMPARE(m_client->query(QStringLiteral("DELETE FROM st_ds.events WHERE id = 1")).errorMessage(), kBufferMessage);
        m_client->admin("POST", QStringLiteral("streaming-buffer/flush"));
        QVERIFY(!m_client->send("GET", QStringLiteral("datasets/st_ds/tables/events")).json.contains(QStringLiteral("streamingBuffer")));
        QCOMPARE(m_client->run(QStringLiteral("DELETE FROM st_ds.events WHERE id = 1")).json.value(QStringLiteral("numDmlAffectedRows")).toString(),
                 QStringLiteral("1"));
    }

    // §3.2: pages in insertion order, totalRows as a string, opaque pageTokens, no schema.
    void tabledataListPagesWithoutSchema()
    {
        QJsonArray rows;
        for (int i = 0; i < 250; ++i)
            rows.append(row(QJsonObject{{"id", i}, {"name", QStringLiteral("n%1").arg(i)}, {"tags", QJsonArray{"t"}}}));
        QCOMPARE(insert(rows).status, 200);
        QStringList ids;
        QString token;
        int pages = 0;
        do {
            const BigQueryReply page = m_client->send("GET", QStringLiteral("datasets/st_ds/tables/events/data?maxResults=100&prettyPrint=false")
                                                                 + (token.isEmpty() ? QString() : QStringLiteral("&pageToken=") + token));
            QCOMPARE(page.status, 200);
            QCOMPARE(page.json.value(QStringLiteral("kind")).toString(), QStringLiteral("bigquery#tableDataList"));
            QCOMPARE(page.json.value(QStringLiteral("totalRows")).toString(), QStringLiteral("250"));
            QVERIFY(!page.json.contains(QStringLiteral("schema")));
            QVERIFY(page.json.contains(QStringLiteral("etag")));
            for (const QJsonValue &r : page.rows())
                ids.append(r.toArray().first().toString());
            token = page.json.value(QStringLiteral("pageToken")).toString();
            ++pages;
        } while (!token.isEmpty());
        QCOMPARE(pages, 3);
        QCOMPARE(ids.size(), 250);
        QCOMPARE(ids.first(), QStringLiteral("0"));
        QCOMPARE(ids.last(), QStringLiteral("249"));
        const BigQueryReply tail = m_client->send("GET", QStringLiteral("datasets/st_ds/tables/events/data?startIndex=248&selectedFields=name,tags"));
        QCOMPARE(tail.rows(), (QJsonArray{QJsonArray{"n248", QJsonArray{QJsonObject{{"v", "t"}}}}, QJsonArray{"n249", QJsonArray{QJsonObject{{"v", "t"}}}}}));
        QVERIFY(!tail.json.contains(QStringLiteral("pageToken")));
    }

    void missingTablesAreNotFound()
    {
        const BigQueryReply insertMissing = m_client->insertAll(QStringLiteral("st_ds"), QStringLiteral("nope"), QJsonArray{row(QJsonObject{{"id", 1}})});
        QCOMPARE(insertMissing.status, 404);
        QCOMPARE(insertMissing.errorMessage(), QStringLiteral("Not found: Table test-project:st_ds.nope"));
        QCOMPARE(m_client->send("GET", QStringLiteral("datasets/st_ds/tables/nope/data")).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestBigQueryStreaming)
#include "tst_bigqueryemulator_streaming.moc"
