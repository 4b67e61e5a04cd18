#include "connectors/bigquery/bigqueryconnector.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "support/emulatorprocess.h"
#include "support/outsideeditor.h"
#include "support/testcontacts.h"
#include "testkeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

// The canonical layer against tf-bigquery-emulator run as the program it is: a real SQL engine behind BigQuery's
// REST API, with its fault switches for the failures (nothing here stands in for the connector's own code).
class TestBigQueryConnector : public QObject
{
    Q_OBJECT

    test::EmulatorProcess m_emulator;
    QTemporaryDir m_dir;
    int m_tables = 0;

    BigQuerySettings settings(const QUrl &endpoint, const QString &table = QString())
    {
        BigQuerySettings s;
        s.project = QStringLiteral("test-project");
        s.dataset = QStringLiteral("sync_ds");
        s.table = table.isEmpty() ? QStringLiteral("contacts_%1").arg(++m_tables) : table;
        s.location = QStringLiteral("US");
        s.endpoint = endpoint.toString();
        return s;
    }

    static std::unique_ptr<BigQueryConnector> connect(const BigQuerySettings &s)
    {
        auto connector = std::make_unique<BigQueryConnector>(s);
        connector->setRetryPolicy(RetryPolicy({8, 20, 200, 0.5}));
        connector->setTimeoutMs(20000);
        return connector;
    }

    std::unique_ptr<BigQueryConnector> provisioned()
    {
        auto connector = connect(settings(m_emulator.baseUrl()));
        connector->provision();
        return connector;
    }

    static QStringList idsOf(const QList<Contact> &contacts)
    {
        QStringList ids;
        for (const Contact &contact : contacts)
            ids.append(contact.id());
        return ids;
    }

    // Every change from `watermark` on, `limit` per call, as the engine pages.
    static QList<Contact> readAll(BigQueryConnector &connector, QString &watermark, int limit)
    {
        QList<Contact> all;
        for (int guard = 0; guard < 100000; ++guard) {
            const ChangePage page = connector.readChanges(watermark, limit);
            all += page.contacts;
            if (!page.contacts.isEmpty())
                watermark = page.nextWatermark;
            if (!page.hasMore)
                return all;
        }
        return all;
    }

    static QString errorOf(const std::function<void()> &action, ConnectorError::Kind *kind = nullptr)
    {
        try {
            action();
        } catch (const ConnectorError &error) {
            if (kind)
                *kind = error.kind();
            return QString::fromUtf8(error.what());
        }
        return QString();
    }

    // The expectations the engine's planner hands a write: each contact's version as readByIds returned it.
    static ExpectedVersions expectationsOf(const QList<Contact> &versions)
    {
        ExpectedVersions expected;
        for (const Contact &version : versions)
            expected.expect(version.id(), version);
        return expected;
    }

    static QList<Contact> withText(QList<Contact> contacts, const QString &column, const QString &value)
    {
        for (Contact &contact : contacts)
            contact.setValue(column, value);
        return contacts;
    }

    static QHash<QString, Contact> byId(const QList<Contact> &contacts)
    {
        QHash<QString, Contact> map;
        for (const Contact &contact : contacts)
            map.insert(contact.id(), contact);
        return map;
    }

    // A table and its connector, the way the engine's write of a batch finds them: `count` contacts stored, their
    // current versions read back by id (which is what the planner plans from).
    struct Stand {
        BigQuerySettings settings;
        std::unique_ptr<BigQueryConnector> connector;
        QList<Contact> versions;
    };

    Stand stand(int count, quint32 seed)
    {
        Stand stand{settings(m_emulator.baseUrl()), nullptr, {}};
        stand.connector = connect(stand.settings);
        stand.connector->provision();
        const WriteResult seeded = stand.connector->writeBatch(ContactGenerator(seed).take(count), {});
        stand.versions = stand.connector->readByIds(idsOf(seeded.stored));
        // Our timestamps have millisecond precision (the engine's): an outside edit within the same millisecond as
        // the seeding MERGE would look like the same version. Real DML jobs take far longer than that.
        QTest::qWait(3);
        return stand;
    }

    // A person or another program editing the table: a DML UPDATE job that sets updated_at, as writers must.
    static QString editFromOutside(const BigQuerySettings &s, const QString &contactId, const QString &column,
                                   const QString &value)
    {
        SyncConfig config;
        config.bigquery = s;
        return test::OutsideEditor(config, QString(), QByteArray()).setText(Layer::BigQuery, contactId, column, value);
    }

    // Any DML job run by another program; answers numDmlAffectedRows.
    static QString outsideDml(const BigQuerySettings &s, const QString &statement)
    {
        BigQueryClient outsider(BigQueryEndpoint::resolve(s));
        const QJsonObject answer
            = outsider.call("POST", QStringLiteral("queries"), {},
                            QJsonObject{{QStringLiteral("query"), statement}, {QStringLiteral("useLegacySql"), false}},
                            QStringLiteral("jobs.query"), QStringLiteral("outside DML"));
        return answer.value(QStringLiteral("numDmlAffectedRows")).toString();
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return file.fileName();
    }

private slots:
    void initTestCase()
    {
        const QString error = m_emulator.start(QStringLiteral("tf-bigquery-emulator"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void init()
    {
        QVERIFY(m_emulator.setFaults(QJsonObject()));
    }

    void provisionIsIdempotentAndHealthy()
    {
        auto connector = connect(settings(m_emulator.baseUrl()));
        connector->provision();
        connector->provision();
        auto second = connect(settings(m_emulator.baseUrl(), connector->table().table));
        second->provision();
        for (const HealthCheck &check : connector->healthChecks())
            QVERIFY2(check.ok, qPrintable(check.name + QStringLiteral(": ") + check.message));
        QCOMPARE(connector->readChanges(QString(), 10).contacts.size(), 0);
    }

    void everyContractTypeRoundTrips()
    {
        auto connector = provisioned();
        QList<Contact> contacts{test::hostileContact(QStringLiteral("hostile-1"))};
        contacts += ContactGenerator(11).take(150);
        Contact tombstone = ContactGenerator(12).next();
        tombstone.setValue(field::DeletedAt, QDateTime(QDate(2025, 2, 3), QTime(4, 5, 6, 789), Qt::UTC));
        contacts.append(tombstone);

        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-5);
        const WriteResult result = connector->writeBatch(contacts, {});
        QVERIFY2(result.rejected.isEmpty(), qPrintable(result.rejected.values().join(QLatin1Char('\n'))));
        QCOMPARE(idsOf(result.stored), idsOf(contacts));
        for (qsizetype i = 0; i < contacts.size(); ++i) {
            const QStringList differing = test::differingFields(contacts.at(i), result.stored.at(i));
            QVERIFY2(differing.isEmpty(), qPrintable(contacts.at(i).id() + QStringLiteral(": ") + differing.join(QLatin1Char(','))));
            // updated_at is the writer's (CURRENT_TIMESTAMP() in the MERGE), whatever the contact carried.
            QVERIFY(result.stored.at(i).timestamp(field::UpdatedAt) >= before);
        }
        QCOMPARE(result.stored.constLast().timestamp(field::DeletedAt), tombstone.timestamp(field::DeletedAt));

        const QList<Contact> byId = connector->readByIds({QStringLiteral("hostile-1"), tombstone.id(), QStringLiteral("absent")});
        QCOMPARE(byId.size(), 2);
        for (const Contact &contact : byId) {
            const Contact &sent = contact.id() == tombstone.id() ? tombstone : contacts.first();
            QVERIFY(test::differingFields(sent, contact).isEmpty());
        }
        QString watermark;
        QCOMPARE(readAll(*connector, watermark, 1000).size(), contacts.size());
    }

    // Several MERGE batches (each stamps its rows with one CURRENT_TIMESTAMP()), read back in pages of 100 rows and
    // in readChanges calls of 13: the (updated_at, contact_id) keyset hands out every row exactly once.
    void keysetPagingLosesAndRepeatsNothing()
    {
        auto connector = provisioned();
        connector->setPageSize(100);
        const QList<Contact> contacts = ContactGenerator(21).take(2000);
        const WriteResult written = connector->writeBatch(contacts, {});
        QCOMPARE(written.stored.size(), contacts.size());
        QVERIFY(connector->mergesRun() >= 2);

        QString watermark;
        const QList<Contact> changes = readAll(*connector, watermark, 13);
        const QStringList ids = idsOf(changes);
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
        QCOMPARE(ids.size(), contacts.size());
        for (qsizetype i = 1; i < changes.size(); ++i)
            QVERIFY(changes.at(i - 1).timestamp(field::UpdatedAt) <= changes.at(i).timestamp(field::UpdatedAt));
        QCOMPARE(connector->readChanges(watermark, 13).contacts.size(), 0);

        // A change after the watermark is the only thing the next read reports.
        Contact edited = contacts.at(1234);
        edited.setValue(QStringLiteral("notes"), QStringLiteral("edited"));
        connector->writeBatch({edited}, {});
        const ChangePage next = connector->readChanges(watermark, 13);
        QCOMPARE(idsOf(next.contacts), QStringList{edited.id()});
        QVERIFY(!next.hasMore);

        const QList<Contact> byIds = connector->readByIds(idsOf(contacts));
        QCOMPARE(byIds.size(), contacts.size());
    }

    void sameBatchTwiceChangesNothing()
    {
        auto connector = provisioned();
        const QList<Contact> contacts = ContactGenerator(31).take(40) << test::hostileContact(QStringLiteral("hostile-2"));
        const WriteResult first = connector->writeBatch(contacts, {});
        QString watermark;
        QCOMPARE(readAll(*connector, watermark, 500).size(), contacts.size());

        QCOMPARE(connector->rowsChanged(), qint64(contacts.size()));
        const WriteResult second = connector->writeBatch(contacts, {});
        QCOMPARE(connector->rowsChanged(), qint64(contacts.size())); // the second MERGE matched and changed nothing
        QCOMPARE(second.stored.size(), contacts.size());
        for (qsizetype i = 0; i < contacts.size(); ++i)
            QCOMPARE(second.stored.at(i).timestamp(field::UpdatedAt), first.stored.at(i).timestamp(field::UpdatedAt));
        QCOMPARE(connector->readChanges(watermark, 500).contacts.size(), 0);
    }

    // The MERGE is committed, its answer lost on the way back; the HTTP layer sends it again with the same
    // requestId, and the server hands back the first result instead of running the statement twice.
    void lostMergeResponseIsNotAppliedTwice()
    {
        auto connector = provisioned();
        const QList<Contact> contacts = ContactGenerator(41).take(20);
        m_emulator.clearRequests();
        QVERIFY(m_emulator.setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("lost-response")}, {QStringLiteral("method"), QStringLiteral("POST")},
            {QStringLiteral("pathContains"), QStringLiteral("/queries")}}}}}));
        const WriteResult result = connector->writeBatch(contacts, {});
        QCOMPARE(result.stored.size(), contacts.size());
        QCOMPARE(connector->mergesRun(), 1);
        // The answer the resent request got is the first run's (20 rows inserted); a second run would have found
        // every row already there and reported 0.
        QCOMPARE(connector->rowsChanged(), qint64(contacts.size()));
        int queryPosts = 0;
        for (const QJsonValue &request : m_emulator.requests()) {
            const QJsonObject r = request.toObject();
            if (r.value(QStringLiteral("method")).toString() == QLatin1String("POST")
                && r.value(QStringLiteral("path")).toString().endsWith(QLatin1String("/queries")))
                ++queryPosts;
        }
        QVERIFY2(queryPosts >= 3, qPrintable(QString::number(queryPosts))); // the MERGE twice, then the read-back
        QString watermark;
        const QList<Contact> changes = readAll(*connector, watermark, 100);
        QCOMPARE(changes.size(), contacts.size());
    }

    // (1) A write planned from the version readByIds returned goes through, also for a row an outside writer
    // inserted without updated_at (NULL-safe comparison) and for a tombstone.
    void aWritePlannedFromTheReadVersionGoesThrough()
    {
        Stand s = stand(5, 101);
        QCOMPARE(
            outsideDml(s.settings,
                       QStringLiteral("INSERT INTO %1 (contact_id, full_name) VALUES ('no-stamp', 'Inserted bare')")
                           .arg(s.connector->table().sql())),
            QStringLiteral("1"));
        s.versions += s.connector->readByIds({QStringLiteral("no-stamp")});
        QCOMPARE(s.versions.size(), 6);
        QVERIFY(s.versions.constLast().timestamp(field::UpdatedAt).isNull());
        // Every value kind at its edges: what is read back must hash as what was sent, or the write looks refused.
        s.connector->writeBatch({test::hostileContact(QStringLiteral("hostile"))}, {});
        s.versions += s.connector->readByIds({QStringLiteral("hostile")});
        QTest::qWait(3);

        QList<Contact> edits = withText(s.versions, QStringLiteral("notes"), QStringLiteral("planned edit"));
        edits[2].setValue(field::DeletedAt, QDateTime(QDate(2025, 3, 4), QTime(5, 6, 7, 8), Qt::UTC));
        const WriteResult result = s.connector->writeBatch(edits, expectationsOf(s.versions));
        QVERIFY2(result.moved.isEmpty(), qPrintable(result.moved.join(QLatin1Char(','))));
        QVERIFY(result.rejected.isEmpty());
        QCOMPARE(idsOf(result.stored), idsOf(edits));
        QCOMPARE(s.connector->rowsChanged(), qint64(5 + 1 + 7));
        const QHash<QString, Contact> now = byId(s.connector->readByIds(idsOf(edits)));
        for (const Contact &edit : std::as_const(edits)) {
            QCOMPARE(now.value(edit.id()).text(QStringLiteral("notes")), QStringLiteral("planned edit"));
            QCOMPARE(ContentHash::of(now.value(edit.id())), ContentHash::of(edit));
        }
        QVERIFY(now.value(edits.at(2).id()).isDeleted());
    }

    // (2) A row edited from outside after the planner read it is not overwritten: it is reported moved, keeps the
    // outside edit, and every other contact of the batch (constrained or not) is written.
    void aRowEditedFromOutsideIsMovedAndKeepsTheEdit()
    {
        Stand s = stand(6, 102);
        QCOMPARE(
            outsideDml(s.settings,
                       QStringLiteral("INSERT INTO %1 (contact_id, full_name) VALUES ('no-stamp', 'Inserted bare')")
                           .arg(s.connector->table().sql())),
            QStringLiteral("1"));
        s.versions += s.connector->readByIds({QStringLiteral("no-stamp")});
        const QString edited = s.versions.at(1).id();
        const QString trashed = s.versions.at(4).id();
        QVERIFY(editFromOutside(s.settings, edited, QStringLiteral("notes"), QStringLiteral("outside edit")).isEmpty());
        QVERIFY(editFromOutside(s.settings, trashed, QStringLiteral("job_title"), QStringLiteral("outside title"))
                    .isEmpty());
        // The bare row gets an updated_at with the outside edit: NULL before, a time now.
        QVERIFY(editFromOutside(s.settings, QStringLiteral("no-stamp"), QStringLiteral("notes"),
                                QStringLiteral("outside edit"))
                    .isEmpty());

        QList<Contact> edits = withText(s.versions, QStringLiteral("notes"), QStringLiteral("planned edit"));
        edits[4].setValue(field::DeletedAt, QDateTime::currentDateTimeUtc()); // a tombstone planned from the old row
        const ExpectedVersions expected = expectationsOf(s.versions);
        Contact unconstrained = ContactGenerator(103).next();
        edits.append(unconstrained);
        const WriteResult result = s.connector->writeBatch(edits, expected);

        QStringList moved = result.moved;
        moved.sort();
        QStringList expectedMoved{edited, trashed, QStringLiteral("no-stamp")};
        expectedMoved.sort();
        QCOMPARE(moved, expectedMoved);
        QVERIFY(result.rejected.isEmpty());
        QCOMPARE(result.stored.size(), edits.size() - 3);
        const QHash<QString, Contact> now = byId(s.connector->readByIds(idsOf(edits)));
        for (const Contact &edit : std::as_const(edits)) {
            const Contact row = now.value(edit.id());
            if (expectedMoved.contains(edit.id())) {
                QCOMPARE(row.text(QStringLiteral("notes")),
                         edit.id() == trashed ? s.versions.at(4).text(QStringLiteral("notes"))
                                              : QStringLiteral("outside edit"));
                QVERIFY(!row.isDeleted());
            } else {
                QCOMPARE(ContentHash::of(row), ContentHash::of(edit));
            }
        }
        QCOMPARE(now.value(trashed).text(QStringLiteral("job_title")), QStringLiteral("outside title"));
        QCOMPARE(now.value(unconstrained.id()).text(QStringLiteral("full_name")),
                 unconstrained.text(QStringLiteral("full_name")));
    }

    // (3) A write planned when the table held no such row may only create it: one another writer created meanwhile
    // is moved and keeps that writer's content; one still missing is created.
    void aRowCreatedMeanwhileIsMoved()
    {
        Stand s = stand(0, 0);
        const QList<Contact> fresh = ContactGenerator(104).take(2);
        ExpectedVersions expected;
        for (const Contact &contact : fresh)
            expected.expect(contact.id(), std::nullopt);
        Contact theirs = fresh.first();
        theirs.setValue(QStringLiteral("notes"), QStringLiteral("created by another writer"));
        QCOMPARE(connect(s.settings)->writeBatch({theirs}, {}).stored.size(), 1);

        const WriteResult result = s.connector->writeBatch(fresh, expected);
        QCOMPARE(result.moved, QStringList{fresh.first().id()});
        QCOMPARE(idsOf(result.stored), QStringList{fresh.last().id()});
        const QHash<QString, Contact> now = byId(s.connector->readByIds(idsOf(fresh)));
        QCOMPARE(now.value(theirs.id()).text(QStringLiteral("notes")), QStringLiteral("created by another writer"));
        QCOMPARE(ContentHash::of(now.value(fresh.last().id())), ContentHash::of(fresh.last()));
    }

    // (4) Without an expectation a write is the plain upsert it always was: it overwrites an outside edit.
    void anUnconstrainedWriteStillOverwrites()
    {
        Stand s = stand(2, 105);
        QVERIFY(editFromOutside(s.settings, s.versions.first().id(), QStringLiteral("notes"),
                                QStringLiteral("outside edit"))
                    .isEmpty());
        const QList<Contact> edits = withText(s.versions, QStringLiteral("notes"), QStringLiteral("seeding"));
        ExpectedVersions onlySecond;
        onlySecond.expect(edits.last().id(), s.versions.last());
        const WriteResult result = s.connector->writeBatch(edits, onlySecond);
        QVERIFY(result.moved.isEmpty());
        QCOMPARE(idsOf(result.stored), idsOf(edits));
        for (const Contact &row : s.connector->readByIds(idsOf(edits)))
            QCOMPARE(row.text(QStringLiteral("notes")), QStringLiteral("seeding"));
    }

    // (5) A conditional MERGE whose answers are all lost has committed; the engine sends the journaled batch again
    // with the same expectations, as a new job (a new requestId). That MERGE finds updated_at moved by its own
    // first run and refuses every row, yet the rows hold what was sent: written, not moved. A single lost answer
    // is absorbed by the requestId (the server hands back the first run's result).
    void aRetriedConditionalMergeThatHadCommittedCountsAsWritten()
    {
        Stand s = stand(4, 106);
        QList<Contact> edits = withText(s.versions, QStringLiteral("notes"), QStringLiteral("sent twice"));
        ExpectedVersions expected = expectationsOf(s.versions);
        const Contact created = ContactGenerator(107).next();
        expected.expect(created.id(), std::nullopt);
        edits.append(created);

        const QJsonObject lostAnswer{{QStringLiteral("kind"), QStringLiteral("lost-response")},
                                     {QStringLiteral("method"), QStringLiteral("POST")},
                                     {QStringLiteral("pathContains"), QStringLiteral("/queries")}};
        // More lost answers than attempts (Qt itself may resend once on a closed keep-alive connection).
        QJsonObject always = lostAnswer;
        always.insert(QStringLiteral("count"), 10);
        QVERIFY(m_emulator.setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{always}}}));
        s.connector->setRetryPolicy(RetryPolicy({2, 20, 200, 0.5}));
        ConnectorError::Kind kind = ConnectorError::Kind::Internal;
        const QString failure = errorOf([&] { s.connector->writeBatch(edits, expected); }, &kind);
        QVERIFY2(!failure.isEmpty() && kind == ConnectorError::Kind::Unreachable, qPrintable(failure));
        QVERIFY(m_emulator.setFaults(QJsonObject()));
        const QHash<QString, Contact> committed = byId(s.connector->readByIds(idsOf(edits)));
        QCOMPARE(committed.size(), edits.size()); // the first run did commit
        for (const Contact &edit : std::as_const(edits))
            QCOMPARE(ContentHash::of(committed.value(edit.id())), ContentHash::of(edit));

        s.connector->setRetryPolicy(RetryPolicy({8, 20, 200, 0.5}));
        const qint64 changedBefore = s.connector->rowsChanged();
        const WriteResult again = s.connector->writeBatch(edits, expected);
        QVERIFY2(again.moved.isEmpty(), qPrintable(again.moved.join(QLatin1Char(','))));
        QCOMPARE(idsOf(again.stored), idsOf(edits));
        QCOMPARE(s.connector->rowsChanged(), changedBefore); // refused or unchanged: nothing written twice
        for (const Contact &row : std::as_const(again.stored))
            QCOMPARE(row.timestamp(field::UpdatedAt), committed.value(row.id()).timestamp(field::UpdatedAt));

        // One lost answer: the POST is resent with the same requestId and gets the first run's result.
        const QList<Contact> versions = s.connector->readByIds(idsOf(edits));
        QTest::qWait(3);
        const QList<Contact> next = withText(versions, QStringLiteral("notes"), QStringLiteral("sent once"));
        QVERIFY(m_emulator.setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{lostAnswer}}}));
        const int mergesBefore = s.connector->mergesRun();
        const WriteResult once = s.connector->writeBatch(next, expectationsOf(versions));
        QVERIFY2(once.moved.isEmpty(), qPrintable(once.moved.join(QLatin1Char(','))));
        QCOMPARE(idsOf(once.stored), idsOf(next));
        QCOMPARE(s.connector->mergesRun(), mergesBefore + 1);
        QCOMPARE(s.connector->rowsChanged(), changedBefore + next.size());
    }

    void rateLimitAndUnavailableStormsOnlySlowItDown()
    {
        auto connector = provisioned();
        QVERIFY(m_emulator.setFaults(QJsonObject{{QStringLiteral("rate429"), 0.3}, {QStringLiteral("rate503"), 0.2},
                                                 {QStringLiteral("seed"), 7}}));
        const QList<Contact> contacts = ContactGenerator(51).take(300);
        const int before = connector->requestsSent();
        const WriteResult result = connector->writeBatch(contacts, {});
        QCOMPARE(result.stored.size(), contacts.size());
        QString watermark;
        QCOMPARE(readAll(*connector, watermark, 50).size(), contacts.size());
        QVERIFY(m_emulator.setFaults(QJsonObject()));
        // The storm cost requests, not results.
        QVERIFY(connector->requestsSent() - before > 8);
    }

    void missingTableIsASchemaErrorNamingTheTable()
    {
        auto connector = connect(settings(m_emulator.baseUrl(), QStringLiteral("never_provisioned")));
        ConnectorError::Kind kind = ConnectorError::Kind::Internal;
        const QString message = errorOf([&] { connector->readChanges(QString(), 10); }, &kind);
        QCOMPARE(kind, ConnectorError::Kind::Schema);
        QVERIFY2(message.startsWith(QLatin1String("bigquery: jobs.query (read changes from test-project:sync_ds.never_provisioned")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("notFound")), qPrintable(message));
        bool schemaFailed = false;
        for (const HealthCheck &check : connector->healthChecks()) {
            if (check.name == QLatin1String("schema")) {
                schemaFailed = !check.ok && check.message.contains(QLatin1String("never_provisioned"));
            } else {
                QVERIFY2(check.ok, qPrintable(check.message));
            }
            // The emulator sends a Date header like Google's ("... GMT"): the skew is measured, not unknown.
            if (check.name == QLatin1String("clock skew"))
                QVERIFY2(check.message.contains(QLatin1String("the server's clock is")), qPrintable(check.message));
        }
        QVERIFY(schemaFailed);
    }

    void tableThatContradictsTheContractIsNamed()
    {
        auto good = provisioned();
        BigQuerySettings s = settings(m_emulator.baseUrl());
        BigQueryClient client(BigQueryEndpoint::resolve(s));
        QJsonArray fields;
        for (const SchemaField &field : SchemaField::contractSchema()) {
            if (field.name == QLatin1String("ai_insights"))
                continue;
            SchemaField column = field;
            if (column.name == QLatin1String("relationship_strength"))
                column.type = QStringLiteral("STRING");
            fields.append(column.toJson());
        }
        client.call("POST", QStringLiteral("datasets/sync_ds/tables"), {},
                    QJsonObject{{QStringLiteral("tableReference"),
                                 QJsonObject{{QStringLiteral("projectId"), s.project}, {QStringLiteral("datasetId"), s.dataset},
                                             {QStringLiteral("tableId"), s.table}}},
                                {QStringLiteral("schema"), QJsonObject{{QStringLiteral("fields"), fields}}}},
                    QStringLiteral("tables.insert"), s.table);
        auto connector = connect(s);
        ConnectorError::Kind kind = ConnectorError::Kind::Internal;
        const QString message = errorOf([&] { connector->provision(); }, &kind);
        QCOMPARE(kind, ConnectorError::Kind::Schema);
        QVERIFY2(message.contains(QLatin1String("missing column ai_insights (JSON)")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("column relationship_strength is STRING, the contract says FLOAT64")), qPrintable(message));
        for (const HealthCheck &check : connector->healthChecks()) {
            if (check.name == QLatin1String("schema"))
                QVERIFY2(!check.ok && check.message.contains(QLatin1String("missing column ai_insights")), qPrintable(check.message));
        }
    }

    void pollsAJobThatIsNotCompleteYet()
    {
        test::EmulatorProcess slow;
        const QString error = slow.start(QStringLiteral("tf-bigquery-emulator"), {QStringLiteral("--query-delay-ms"), QStringLiteral("1500")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto connector = connect(settings(slow.baseUrl()));
        connector->setPollTimeoutMs(300);
        connector->provision();
        const QList<Contact> contacts = ContactGenerator(61).take(5);
        QCOMPARE(connector->writeBatch(contacts, {}).stored.size(), contacts.size());
        QString watermark;
        QCOMPARE(readAll(*connector, watermark, 10).size(), contacts.size());
        int polls = 0;
        for (const QJsonValue &request : slow.requests()) {
            const QJsonObject r = request.toObject();
            if (r.value(QStringLiteral("method")).toString() == QLatin1String("GET")
                && r.value(QStringLiteral("path")).toString().contains(QLatin1String("/queries/")))
                ++polls;
        }
        QVERIFY2(polls > 0, "no getQueryResults call: the jobComplete:false path was not taken");
    }

    // Other writers fill the table's DML queue (2 running + 20 waiting, §2.4): the MERGE is refused with "Too many
    // DML statements outstanding", waits with backoff, is sent again as a new job, and goes through.
    void fullDmlQueueIsWaitedOut()
    {
        test::EmulatorProcess queued;
        const QString error = queued.start(QStringLiteral("tf-bigquery-emulator"), {QStringLiteral("--dml-duration-ms"), QStringLiteral("300")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const BigQuerySettings s = settings(queued.baseUrl());
        auto connector = connect(s);
        connector->setRetryPolicy(RetryPolicy({10, 200, 1000, 0.5}));
        connector->provision();

        BigQueryClient outsider(BigQueryEndpoint::resolve(s));
        const QJsonObject update{{QStringLiteral("query"), QStringLiteral("UPDATE `%1.%2.%3` SET notes = 'x' WHERE contact_id = 'none'")
                                                              .arg(s.project, s.dataset, s.table)},
                                 {QStringLiteral("useLegacySql"), false},
                                 {QStringLiteral("timeoutMs"), 1}};
        for (int i = 0; i < 22; ++i)
            QVERIFY(outsider.call("POST", QStringLiteral("queries"), {}, update, QStringLiteral("jobs.query"), QStringLiteral("outside UPDATE")).contains(QStringLiteral("jobReference")));
        queued.clearRequests();

        const QList<Contact> contacts = ContactGenerator(81).take(10);
        QCOMPARE(connector->writeBatch(contacts, {}).stored.size(), contacts.size());
        QCOMPARE(connector->rowsChanged(), qint64(contacts.size()));
        int refused = 0;
        for (const QJsonValue &request : queued.requests())
            refused += request.toObject().value(QStringLiteral("status")).toInt() == 400;
        QVERIFY2(refused > 0, "the MERGE was never refused: the queue was not full");
    }

    // The token path against the emulator's /token (it verifies the JWT with the public key it was given, and then
    // wants the token on every call): the right key gets a token that is cached and renewed before it expires; a
    // key it does not know is refused with a clear error.
    void serviceAccountTokenIsExchangedOnceAndAWrongKeyIsRefused()
    {
        const test::TestRsaKey trusted = test::TestRsaKey::generate();
        const test::TestRsaKey stranger = test::TestRsaKey::generate();
        const QString publicKey = writeFile(QStringLiteral("trusted.pub.pem"), trusted.publicPem);
        test::EmulatorProcess guarded;
        const QString error = guarded.start(QStringLiteral("tf-bigquery-emulator"), {QStringLiteral("--token-public-key"), publicKey});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString tokenUri = guarded.baseUrl().toString() + QStringLiteral("/token");

        BigQuerySettings s = settings(guarded.baseUrl());
        s.credentialsPath = writeFile(QStringLiteral("trusted.json"),
                                      trusted.serviceAccountJson(QStringLiteral("sync@test-project.iam.gserviceaccount.com"), tokenUri));
        auto connector = connect(s);
        connector->provision();
        QCOMPARE(connector->writeBatch(ContactGenerator(71).take(3), {}).stored.size(), 3);
        QCOMPARE(connector->tokenExchanges(), 1);

        // The cached token is replaced 5 minutes before it runs out. The clock starts 3400 s back, so the first
        // assertion is still valid for the emulator but the token's refresh point lies behind the real time.
        QDateTime clock = QDateTime::currentDateTimeUtc().addSecs(-3400);
        HttpTransport transport(Layer::BigQuery);
        AccessTokenProvider tokens(ServiceAccountKey::fromFile(s.credentialsPath), transport, [&clock] { return clock; });
        const QByteArray first = tokens.authorization();
        QCOMPARE(tokens.authorization(), first);
        QCOMPARE(tokens.exchanges(), 1);
        clock = QDateTime::currentDateTimeUtc();
        const QByteArray renewed = tokens.authorization();
        QCOMPARE(tokens.exchanges(), 2);
        QVERIFY(renewed != first);

        s.credentialsPath = writeFile(QStringLiteral("stranger.json"),
                                      stranger.serviceAccountJson(QStringLiteral("intruder@test-project.iam.gserviceaccount.com"), tokenUri));
        auto refused = connect(s);
        ConnectorError::Kind kind = ConnectorError::Kind::Internal;
        const QString message = errorOf([&] { refused->readChanges(QString(), 10); }, &kind);
        QCOMPARE(kind, ConnectorError::Kind::Authentication);
        QVERIFY2(message.startsWith(QLatin1String("bigquery: token exchange at ") + tokenUri), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("intruder@test-project.iam.gserviceaccount.com")), qPrintable(message));
        bool credentialsFailed = false;
        for (const HealthCheck &check : refused->healthChecks())
            credentialsFailed |= check.name == QLatin1String("credentials") && !check.ok;
        QVERIFY(credentialsFailed);
    }
};

QTEST_GUILESS_MAIN(TestBigQueryConnector)
#include "tst_bigqueryconnector.moc"
