#include "common/emulatorserver.h"
#include "connectors/bigquery/bigqueryconnector.h"
#include "connectors/bigquery/schemafield.h"

#include <QJsonArray>
#include <QtTest>

using namespace tf;

// What a proxy or a broken server in front of BigQuery can send: bodies that are not JSON, HTML error pages, and
// well-formed answers with cells of the wrong type. The answers come from a real HTTP server on loopback (the
// emulators' front, in-process), serving exactly the broken bytes; each must become a clear ConnectorError that
// names the layer, the API method and what was wrong.
class TestBigQueryBrokenAnswers : public QObject
{
    Q_OBJECT

    std::unique_ptr<emu::EmulatorServer> m_server;
    std::function<emu::HttpResponse(const emu::HttpRequest &)> m_answer;

    std::unique_ptr<BigQueryConnector> connector()
    {
        BigQuerySettings settings;
        settings.project = QStringLiteral("test-project");
        settings.dataset = QStringLiteral("sync_ds");
        settings.table = QStringLiteral("contacts");
        settings.endpoint = QStringLiteral("http://127.0.0.1:%1").arg(m_server->port());
        auto connector = std::make_unique<BigQueryConnector>(settings);
        connector->setRetryPolicy(RetryPolicy({3, 10, 20, 0.0}));
        connector->setTimeoutMs(5000);
        return connector;
    }

    static emu::HttpResponse raw(int status, const QByteArray &body, const QByteArray &contentType)
    {
        emu::HttpResponse response;
        response.status = status;
        response.body = body;
        response.contentType = contentType;
        return response;
    }

    // A complete jobs.query answer with the contract's columns and one row whose cells come from `cell`.
    static QJsonObject queryResponse(const std::function<QJsonValue(const FieldSpec &)> &cell)
    {
        QJsonArray cells;
        for (const FieldSpec &spec : FieldRegistry::fields())
            cells.append(QJsonObject{{QStringLiteral("v"), cell(spec)}});
        return QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("bigquery#queryResponse")},
            {QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), SchemaField::listToJson(SchemaField::contractSchema())}}},
            {QStringLiteral("jobReference"), QJsonObject{{QStringLiteral("projectId"), QStringLiteral("test-project")},
                                                         {QStringLiteral("jobId"), QStringLiteral("job_broken")}}},
            {QStringLiteral("totalRows"), QStringLiteral("1")},
            {QStringLiteral("rows"), QJsonArray{QJsonObject{{QStringLiteral("f"), cells}}}},
            {QStringLiteral("jobComplete"), true}};
    }

    static QJsonValue validCell(const FieldSpec &spec)
    {
        if (spec.name == field::ContactId)
            return QStringLiteral("c-1");
        return spec.bigqueryMode() == QLatin1String("REPEATED") ? QJsonValue(QJsonArray()) : QJsonValue();
    }

    static ConnectorError failureOf(const std::function<void()> &action)
    {
        try {
            action();
        } catch (const ConnectorError &error) {
            return error;
        }
        return ConnectorError(Layer::Local, ConnectorError::Kind::Internal, QStringLiteral("no error was thrown"));
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<emu::EmulatorServer>(
            [this](const emu::HttpRequest &request) { return m_answer(request); },
            [](int status) { return emu::HttpResponse::json(status, QJsonObject()); });
        QString error;
        QVERIFY2(m_server->listenOnLoopback(0, &error), qPrintable(error));
    }

    void truncatedJsonNamesTheMethodAndTheOffset()
    {
        m_answer = [](const emu::HttpRequest &) {
            return raw(200, "{\"kind\": \"bigquery#queryResponse\", \"jobComplete\": tr", "application/json");
        };
        const ConnectorError error = failureOf([&] { connector()->readChanges(QString(), 10); });
        QCOMPARE(error.layer(), Layer::BigQuery);
        QCOMPARE(error.kind(), ConnectorError::Kind::Internal);
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(QLatin1String("bigquery: jobs.query (read changes from test-project:sync_ds.contacts): "
                                                  "200 answer is not a JSON object")),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("at offset")) && message.contains(QLatin1String("\"jobComplete\": tr")),
                 qPrintable(message));
    }

    void htmlBadGatewayIsRetriedThenNamed()
    {
        int calls = 0;
        m_answer = [&calls](const emu::HttpRequest &) {
            ++calls;
            return raw(502, "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
                       "text/html");
        };
        const ConnectorError error = failureOf([&] { connector()->readByIds({QStringLiteral("a")}); });
        QCOMPARE(calls, 3); // the retry policy's three attempts
        QCOMPARE(error.kind(), ConnectorError::Kind::Transient);
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(QLatin1String("bigquery: jobs.query (read 1 contacts by id from test-project:sync_ds.contacts): "
                                                  "502 answer is not a BigQuery error envelope: '<html><head><title>502 Bad Gateway")),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("[after 3 attempts]")), qPrintable(message));
    }

    void aCellOfTheWrongTypeNamesTheRowAndColumn()
    {
        m_answer = [](const emu::HttpRequest &) {
            return emu::HttpResponse::json(200, queryResponse([](const FieldSpec &spec) {
                return spec.name == QLatin1String("relationship_strength") ? QJsonValue(0.5) : validCell(spec);
            }));
        };
        const ConnectorError error = failureOf([&] { connector()->readChanges(QString(), 10); });
        QCOMPARE(error.kind(), ConnectorError::Kind::Internal);
        QCOMPARE(error.message(), QStringLiteral("jobs.query (read changes from test-project:sync_ds.contacts, job job_broken): row 0: "
                                                 "column 'relationship_strength': FLOAT64 cell is a number (0.5), expected a string"));
    }

    void aTimestampThatIsNotOneIsNamed()
    {
        m_answer = [](const emu::HttpRequest &) {
            return emu::HttpResponse::json(200, queryResponse([](const FieldSpec &spec) {
                return spec.name == field::UpdatedAt ? QJsonValue(QStringLiteral("yesterday")) : validCell(spec);
            }));
        };
        const ConnectorError error = failureOf([&] { connector()->readChanges(QString(), 10); });
        QVERIFY2(error.message().endsWith(QLatin1String("row 0: column 'updated_at': 'yesterday' is not a valid TIMESTAMP")),
                 qPrintable(error.message()));
    }

    void rowsLostBetweenPagesAreNoticed()
    {
        m_answer = [](const emu::HttpRequest &) {
            QJsonObject response = queryResponse(validCell);
            response.insert(QStringLiteral("totalRows"), QStringLiteral("2"));
            return emu::HttpResponse::json(200, response);
        };
        const ConnectorError error = failureOf([&] { connector()->readChanges(QString(), 10); });
        QVERIFY2(error.message().contains(QLatin1String("totalRows is 2 but the pages held 1 rows")), qPrintable(error.message()));
    }

    void aPageTokenThatNeverChangesStopsPaging()
    {
        m_answer = [](const emu::HttpRequest &) {
            QJsonObject response = queryResponse(validCell);
            response.insert(QStringLiteral("pageToken"), QStringLiteral("SAME"));
            return emu::HttpResponse::json(200, response);
        };
        const ConnectorError error = failureOf([&] { connector()->readChanges(QString(), 10); });
        QVERIFY2(error.message().startsWith(QLatin1String("jobs.getQueryResults (read changes from test-project:sync_ds.contacts, job job_broken)")),
                 qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("pageToken 'SAME' came back unchanged")), qPrintable(error.message()));
    }
};

QTEST_GUILESS_MAIN(TestBigQueryBrokenAnswers)
#include "tst_bigquerybrokenanswers.moc"
