#include "connectors/supabase/supabaseconnector.h"
#include "core/contactgenerator.h"
#include "connectors/demo/throwawaypostgres.h"
#include "support/testcontacts.h"

#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QThread>
#include <QUrl>
#include <QtTest>
#include <future>
#include <optional>
#include <stdexcept>

using namespace tf;

namespace {

// A psql session kept open between statements: a person at the psql prompt with a transaction in progress.
class PsqlSession
{
public:
    explicit PsqlSession(const QString &dsn)
    {
        m_process.start(QStringLiteral("psql"), {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                                                 QStringLiteral("-t"), QStringLiteral("-v"),
                                                 QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), dsn});
    }
    ~PsqlSession()
    {
        m_process.closeWriteChannel();
        m_process.waitForFinished(10000);
    }
    QString exec(const QString &sql)
    {
        static const QByteArray marker("__tf_done__");
        m_process.write(sql.toUtf8() + "\n\\echo " + marker + "\n");
        QByteArray output;
        while (!output.contains(marker)) {
            if (!m_process.waitForReadyRead(30000))
                throw std::runtime_error("psql gave no answer to: " + sql.toStdString() + " / "
                                         + m_process.readAllStandardError().toStdString());
            output += m_process.readAllStandardOutput();
        }
        return QString::fromUtf8(output.left(output.indexOf(marker))).trimmed();
    }

private:
    QProcess m_process;
};

QStringList idsOf(const QList<Contact> &contacts)
{
    QStringList ids;
    for (const Contact &contact : contacts)
        ids << contact.id();
    return ids;
}

QSet<QString> idSet(const QList<Contact> &contacts)
{
    const QStringList ids = idsOf(contacts);
    return QSet<QString>(ids.begin(), ids.end());
}

// A copy, not a pointer into `checks`: callers pass the list healthChecks() returned, a temporary (found by
// AddressSanitizer: a heap-use-after-free when the check was read on the next line).
std::optional<HealthCheck> findCheck(const QList<HealthCheck> &checks, const QString &name)
{
    for (const HealthCheck &check : checks) {
        if (check.name == name)
            return check;
    }
    return std::nullopt;
}

QString describeChecks(const QList<HealthCheck> &checks)
{
    QStringList lines;
    for (const HealthCheck &check : checks)
        lines << QStringLiteral("%1 ok=%2 warning=%3: %4").arg(check.name).arg(check.ok).arg(check.warning).arg(check.message);
    return lines.join(QLatin1Char('\n'));
}

struct Drained {
    QList<Contact> contacts;
    QString watermark;
    int pages = 0;
};

// Reads pages until the layer says there is no more.
Drained drain(Connector &connector, const QString &watermark, int limit)
{
    Drained result{{}, watermark, 0};
    for (;;) {
        const ChangePage page = connector.readChanges(result.watermark, limit);
        if (page.contacts.size() > limit)
            throw std::runtime_error("a page holds more contacts than the limit");
        result.contacts += page.contacts;
        result.watermark = page.nextWatermark;
        ++result.pages;
        if (!page.hasMore)
            return result;
        if (result.pages > 10000)
            throw std::runtime_error("readChanges never ends");
    }
}

} // namespace

class TestSupabaseConnector : public QObject
{
    Q_OBJECT

    ThrowawayPostgres m_server;

    SupabaseSettings settings(const QString &table, const QString &dsn = QString()) const
    {
        return SupabaseSettings{dsn.isEmpty() ? m_server.dsn() : dsn, QStringLiteral("public"), table};
    }

    std::unique_ptr<SupabaseConnector> provisioned(const QString &table)
    {
        auto connector = std::make_unique<SupabaseConnector>(settings(table));
        connector->provision();
        return connector;
    }

    // psql as a person would use it; a failing statement fails the test with psql's message.
    QString psql(const QString &sql) const
    {
        QString error;
        const QString output = m_server.psql(sql, &error);
        if (!error.isEmpty())
            throw std::runtime_error(QStringLiteral("psql failed: %1\n%2").arg(sql.left(300), error).toStdString());
        return output;
    }

    // The versions a planner would expect: each contact as readByIds answers it now.
    static ExpectedVersions currentVersions(Connector &connector, const QStringList &ids)
    {
        ExpectedVersions expected;
        for (const Contact &version : connector.readByIds(ids))
            expected.expect(version.id(), version);
        return expected;
    }

    static Contact withNickname(Contact contact, const QString &nickname)
    {
        contact.setValue(QStringLiteral("nickname"), nickname);
        return contact;
    }

    QString nicknameIn(const QString &table, const QString &contactId) const
    {
        return psql(
            QStringLiteral("SELECT coalesce(nickname, 'NULL') FROM %1 WHERE contact_id = '%2'").arg(table, contactId));
    }

    // Waits until a transaction of the connector waits for a lock another session holds.
    bool connectorWaitsForALock() const
    {
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired()) {
            if (psql(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'truthforge-sync' "
                                    "AND wait_event_type = 'Lock'"))
                != QLatin1String("0"))
                return true;
            QThread::msleep(50);
        }
        return false;
    }

    QString dsnWithoutPassword(int port, const QString &database = QStringLiteral("postgres")) const
    {
        return QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=postgres sslmode=disable").arg(port).arg(database);
    }

private slots:
    void initTestCase()
    {
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void cleanupTestCase() { m_server.stop(); }

    void roundTripKeepsEveryFieldType()
    {
        auto connector = provisioned(QStringLiteral("roundtrip"));
        QList<Contact> batch{test::hostileContact(QStringLiteral("hostile-1"))};
        batch += ContactGenerator(7).take(300);
        const WriteResult written = connector->writeBatch(batch, {});
        QVERIFY2(written.rejected.isEmpty(), qPrintable(QStringList(written.rejected.values()).join(QLatin1Char('\n'))));
        QCOMPARE(written.stored.size(), batch.size());

        const QList<Contact> read = connector->readByIds(idsOf(batch) << QStringLiteral("not-there"));
        QCOMPARE(idsOf(read), idsOf(batch));
        for (int i = 0; i < batch.size(); ++i) {
            QVERIFY2(test::differingFields(batch.at(i), read.at(i)).isEmpty(),
                     qPrintable(batch.at(i).id() + QStringLiteral(": ") + test::differingFields(batch.at(i), read.at(i)).join(QLatin1Char(','))));
            QVERIFY2(test::differingFields(written.stored.at(i), read.at(i), false).isEmpty(), qPrintable(batch.at(i).id()));
            QVERIFY(read.at(i).timestamp(field::UpdatedAt).isValid());
        }

        // Stored exactly as given, not merely equal after normalisation.
        const Contact &hostile = batch.first();
        const Contact &back = read.first();
        for (const QString &name : {QStringLiteral("given_name"), QStringLiteral("family_name"), QStringLiteral("full_name"),
                                    QStringLiteral("nickname"), QStringLiteral("display_name"), QStringLiteral("notes")})
            QCOMPARE(back.text(name), hostile.text(name));
        QCOMPARE(back.list(QStringLiteral("tags")), hostile.list(QStringLiteral("tags")));
        QCOMPARE(back.list(field::Emails), hostile.list(field::Emails)); // not lowercased
        QCOMPARE(back.value(QStringLiteral("relationship_strength")).toDouble(), 0.1 + 0.2);
        QCOMPARE(back.json(QStringLiteral("llm_summary")), hostile.json(QStringLiteral("llm_summary")));
        QCOMPARE(back.timestamp(field::CreatedAt), hostile.timestamp(field::CreatedAt));

        // What a person sees in psql: real text[] elements (the literal NULL is a string), the whole note.
        QCOMPARE(psql(QStringLiteral("SELECT array_length(tags, 1), tags[3], tags[5] IS NULL, tags[5], octet_length(notes) "
                                     "FROM roundtrip WHERE contact_id = 'hostile-1'")),
                 QStringLiteral("5|{braces}|f|NULL|%1").arg(hostile.text(QStringLiteral("notes")).toUtf8().size()));
        QCOMPARE(psql(QStringLiteral("SELECT llm_summary->'deep'->0->'x'->>1 FROM roundtrip WHERE contact_id = 'hostile-1'")),
                 QStringLiteral("2.5"));
    }

    void provisionIsIdempotentWithRlsAndHealthy()
    {
        const QString table = QStringLiteral("Odd \"Name\"");
        auto connector = provisioned(table);
        connector->provision();
        QCOMPARE(psql(QStringLiteral("SELECT string_agg(relrowsecurity::text, ',') FROM pg_class WHERE oid IN "
                                     "('public.\"Odd \"\"Name\"\"\"'::regclass, 'public.\"Odd \"\"Name\"\"_changelog\"'::regclass)")),
                 QStringLiteral("true,true"));
        const Contact contact = ContactGenerator(3).next();
        QCOMPARE(connector->writeBatch({contact}, {}).stored.size(), 1);
        QCOMPARE(connector->readByIds({contact.id()}).size(), 1);

        const QList<HealthCheck> checks = connector->healthChecks();
        for (const QString &name : {QStringLiteral("connection mode"), QStringLiteral("tls"), QStringLiteral("reachable"),
                                    QStringLiteral("credentials"), QStringLiteral("schema"), QStringLiteral("change capture"),
                                    QStringLiteral("row level security"), QStringLiteral("clock skew")}) {
            const std::optional<HealthCheck> check = findCheck(checks, name);
            QVERIFY2(check, qPrintable(name + QStringLiteral(" missing from\n") + describeChecks(checks)));
            QVERIFY2(check->ok && !check->warning, qPrintable(describeChecks(checks)));
        }
        QVERIFY(findCheck(checks, QStringLiteral("clock skew"))->message.contains(QLatin1String(" s ")));

        psql(QStringLiteral("DROP TRIGGER tf_capture_changes ON public.\"Odd \"\"Name\"\"\""));
        const std::optional<HealthCheck> capture
            = findCheck(connector->healthChecks(), QStringLiteral("change capture"));
        QVERIFY(capture && !capture->ok);
        QVERIFY2(capture->message.contains(QLatin1String("tf_capture_changes")), qPrintable(capture->message));
        connector->provision();
        QVERIFY(findCheck(connector->healthChecks(), QStringLiteral("change capture"))->ok);
    }

    void capturesOutsideWritesAndNotItsOwn()
    {
        auto connector = provisioned(QStringLiteral("capture"));
        QList<Contact> batch = ContactGenerator(11).take(3);
        connector->writeBatch(batch, {});
        const Drained initial = drain(*connector, QString(), 2);
        QCOMPARE(initial.contacts.size(), 3);
        QVERIFY(initial.watermark.startsWith(QLatin1String("log:")));

        // The sync's own write is not reported back (no echo), though it is in the change log.
        batch[0].setValue(QStringLiteral("job_title"), QStringLiteral("Written by the sync"));
        connector->writeBatch({batch[0]}, {});
        const Drained own = drain(*connector, initial.watermark, 10);
        QCOMPARE(own.contacts.size(), 0);
        QCOMPARE(psql(QStringLiteral("SELECT count(*) FROM capture_changelog WHERE origin = 'sync' AND op = 'U'")),
                 QStringLiteral("1"));

        psql(QStringLiteral("INSERT INTO capture (contact_id, given_name, tags) VALUES ('outside-1', 'Ada', '{x,\"y z\"}')"));
        psql(QStringLiteral("UPDATE capture SET nickname = 'Changed in psql' WHERE contact_id = '%1'").arg(batch[1].id()));
        psql(QStringLiteral("DELETE FROM capture WHERE contact_id = '%1'").arg(batch[2].id()));

        const Drained changes = drain(*connector, own.watermark, 50);
        QCOMPARE(idsOf(changes.contacts), (QStringList{QStringLiteral("outside-1"), batch[1].id(), batch[2].id()}));
        const Contact &inserted = changes.contacts.at(0);
        QCOMPARE(inserted.text(QStringLiteral("given_name")), QStringLiteral("Ada"));
        QCOMPARE(inserted.list(QStringLiteral("tags")), (QStringList{QStringLiteral("x"), QStringLiteral("y z")}));
        QVERIFY(inserted.timestamp(field::UpdatedAt).isValid()); // stamped by the trigger
        QVERIFY(!inserted.isDeleted());
        QCOMPARE(changes.contacts.at(1).text(QStringLiteral("nickname")), QStringLiteral("Changed in psql"));
        QVERIFY(changes.contacts.at(1).timestamp(field::UpdatedAt) > batch[1].timestamp(field::UpdatedAt));
        const Contact &tombstone = changes.contacts.at(2);
        QVERIFY(tombstone.isDeleted());
        QCOMPARE(test::differingFields(tombstone, batch[2]), QStringList{field::DeletedAt});

        // Consumed: nothing more, and the watermark stays put.
        const ChangePage after = connector->readChanges(changes.watermark, 50);
        QVERIFY(after.contacts.isEmpty());
        QVERIFY(!after.hasMore);
        QCOMPARE(after.nextWatermark, changes.watermark);

        // TRUNCATE fires no row triggers; the statement trigger still turns every row into a tombstone.
        psql(QStringLiteral("TRUNCATE capture"));
        const Drained truncated = drain(*connector, changes.watermark, 50);
        QCOMPARE(idSet(truncated.contacts),
                 (QSet<QString>{QStringLiteral("outside-1"), batch[0].id(), batch[1].id()}));
        for (const Contact &contact : truncated.contacts)
            QVERIFY(contact.isDeleted());
    }

    void rewritingTheSameBatchChangesNothing()
    {
        auto connector = provisioned(QStringLiteral("idempotent"));
        QList<Contact> batch = ContactGenerator(21).take(50);
        batch[0].setValue(field::UpdatedAt, QVariant()); // the trigger stamps this one
        const WriteResult first = connector->writeBatch(batch, {});
        QCOMPARE(first.stored.at(1).timestamp(field::UpdatedAt), batch.at(1).timestamp(field::UpdatedAt)); // kept
        QVERIFY(first.stored.at(0).timestamp(field::UpdatedAt).isValid());
        const QString logQuery = QStringLiteral("SELECT count(*) FROM idempotent_changelog");
        const QString stampQuery = QStringLiteral("SELECT md5(string_agg(updated_at::text, ',' ORDER BY contact_id)) FROM idempotent");
        const QString logRows = psql(logQuery);
        const QString stamps = psql(stampQuery);
        QCOMPARE(logRows, QStringLiteral("50"));

        // The same batch again, and once more as the stored rows (updated_at set to the stored values).
        const WriteResult second = connector->writeBatch(batch, {});
        connector->writeBatch(first.stored, {});
        QCOMPARE(psql(logQuery), logRows);
        QCOMPARE(psql(stampQuery), stamps);
        QCOMPARE(second.stored.size(), first.stored.size());
        for (int i = 0; i < first.stored.size(); ++i)
            QVERIFY(test::differingFields(first.stored.at(i), second.stored.at(i), false).isEmpty());

        // One real change: exactly one row touched, its updated_at moves.
        batch[5].setValue(QStringLiteral("department"), QStringLiteral("Changed once"));
        const WriteResult third = connector->writeBatch(batch, {});
        QCOMPARE(psql(logQuery), QStringLiteral("51"));
        QCOMPARE(third.stored.at(5).text(QStringLiteral("department")), QStringLiteral("Changed once"));
        QVERIFY(third.stored.at(5).timestamp(field::UpdatedAt) != first.stored.at(5).timestamp(field::UpdatedAt));

        // Duplicate ids in one batch: the last version wins instead of failing the statement.
        Contact again = batch[6];
        again.setValue(QStringLiteral("department"), QStringLiteral("Last one wins"));
        const WriteResult duplicates = connector->writeBatch({batch[6], again}, {});
        QCOMPARE(duplicates.stored.size(), 1);
        QCOMPARE(duplicates.stored.first().text(QStringLiteral("department")), QStringLiteral("Last one wins"));
    }

    // Conditional writes: the version the engine read with readByIds is the one the write expects.
    void aWritePlannedFromTheCurrentVersionGoesThrough()
    {
        auto connector = provisioned(QStringLiteral("planned"));
        QList<Contact> batch{test::hostileContact(QStringLiteral("hostile-planned"))};
        batch += ContactGenerator(71).take(20);
        connector->writeBatch(batch, {});
        const ExpectedVersions expected = currentVersions(*connector, idsOf(batch));
        QList<Contact> planned;
        for (const Contact &contact : batch)
            planned << withNickname(contact, QStringLiteral("planned"));
        const WriteResult result = connector->writeBatch(planned, expected);
        QCOMPARE(result.moved, QStringList());
        QCOMPARE(result.stored.size(), batch.size());
        QCOMPARE(psql(QStringLiteral("SELECT count(*) FROM planned WHERE nickname = 'planned'")),
                 QString::number(batch.size()));
    }

    void aRowEditedAfterTheReadIsMovedAndKeepsTheEdit()
    {
        auto connector = provisioned(QStringLiteral("edited"));
        const QList<Contact> batch = ContactGenerator(72).take(3);
        connector->writeBatch(batch, {});
        const ExpectedVersions expected = currentVersions(*connector, idsOf(batch));
        psql(QStringLiteral("UPDATE edited SET nickname = 'psql edit' WHERE contact_id = '%1'").arg(batch.at(1).id()));
        QList<Contact> planned;
        for (const Contact &contact : batch)
            planned << withNickname(contact, QStringLiteral("sync write"));
        const WriteResult result = connector->writeBatch(planned, expected);
        QCOMPARE(result.moved, QStringList{batch.at(1).id()});
        QVERIFY(result.rejected.isEmpty());
        QCOMPARE(idsOf(result.stored), (QStringList{batch.at(0).id(), batch.at(2).id()}));
        QCOMPARE(nicknameIn(QStringLiteral("edited"), batch.at(0).id()), QStringLiteral("sync write"));
        QCOMPARE(nicknameIn(QStringLiteral("edited"), batch.at(1).id()), QStringLiteral("psql edit"));
        QCOMPARE(nicknameIn(QStringLiteral("edited"), batch.at(2).id()), QStringLiteral("sync write"));
        // The moved row's change is still the outside one, to be read: the sync logged no write of it.
        QCOMPARE(psql(QStringLiteral(
                          "SELECT string_agg(origin, ',' ORDER BY seq) FROM edited_changelog WHERE contact_id = '%1'")
                          .arg(batch.at(1).id())),
                 QStringLiteral("sync,external"));
    }

    void aContactCreatedMeanwhileIsNotOverwritten()
    {
        auto connector = provisioned(QStringLiteral("created"));
        const QList<Contact> fresh{withNickname(ContactGenerator(73).next(), QStringLiteral("sync")),
                                   withNickname(ContactGenerator(173).next(), QStringLiteral("sync"))};
        ExpectedVersions expected;
        for (const Contact &contact : fresh)
            expected.expect(contact.id(), std::nullopt); // neither was in the layer when the engine read it
        psql(QStringLiteral("INSERT INTO created (contact_id, nickname) VALUES ('%1', 'typed in')")
                 .arg(fresh.at(0).id()));
        const WriteResult result = connector->writeBatch(fresh, expected);
        QCOMPARE(result.moved, QStringList{fresh.at(0).id()});
        QCOMPARE(idsOf(result.stored), QStringList{fresh.at(1).id()});
        QCOMPARE(psql(QStringLiteral("SELECT nickname, given_name IS NULL FROM created WHERE contact_id = '%1'")
                          .arg(fresh.at(0).id())),
                 QStringLiteral("typed in|t"));
        QCOMPARE(nicknameIn(QStringLiteral("created"), fresh.at(1).id()), QStringLiteral("sync"));
    }

    void aContactExpectedPresentButGoneIsMoved()
    {
        auto connector = provisioned(QStringLiteral("gone"));
        const Contact contact = ContactGenerator(74).next();
        connector->writeBatch({contact}, {});
        ExpectedVersions expected = currentVersions(*connector, {contact.id()});
        const Contact never = ContactGenerator(75).next(); // believed held, though the layer never had it
        expected.expect(never.id(), never);
        psql(QStringLiteral("DELETE FROM gone WHERE contact_id = '%1'").arg(contact.id()));
        const WriteResult result = connector->writeBatch({withNickname(contact, QStringLiteral("x")), never}, expected);
        QCOMPARE(result.moved, (QStringList{contact.id(), never.id()}));
        QVERIFY(result.stored.isEmpty());
        QCOMPARE(psql(QStringLiteral("SELECT count(*) FROM gone")), QStringLiteral("0"));
    }

    void unconstrainedContactsAreWrittenAsBefore()
    {
        auto connector = provisioned(QStringLiteral("unconstrained"));
        const QList<Contact> batch = ContactGenerator(76).take(2);
        connector->writeBatch(batch, {});
        const ExpectedVersions expected = currentVersions(*connector, {batch.at(0).id()});
        psql(QStringLiteral("UPDATE unconstrained SET nickname = 'psql edit'"));
        const Contact fresh = ContactGenerator(77).next();
        const WriteResult result = connector->writeBatch({withNickname(batch.at(0), QStringLiteral("sync")),
                                                          withNickname(batch.at(1), QStringLiteral("sync")), fresh},
                                                         expected);
        QCOMPARE(result.moved, QStringList{batch.at(0).id()});
        QCOMPARE(idsOf(result.stored), (QStringList{batch.at(1).id(), fresh.id()}));
        QCOMPARE(nicknameIn(QStringLiteral("unconstrained"), batch.at(0).id()), QStringLiteral("psql edit"));
        QCOMPARE(nicknameIn(QStringLiteral("unconstrained"), batch.at(1).id()),
                 QStringLiteral("sync")); // no entry: overwritten
        // Writing the same again changes nothing: no trigger fires, nothing is logged.
        const QString logged = psql(QStringLiteral("SELECT count(*) FROM unconstrained_changelog"));
        const WriteResult again = connector->writeBatch({withNickname(batch.at(1), QStringLiteral("sync")), fresh},
                                                        currentVersions(*connector, {batch.at(1).id(), fresh.id()}));
        QCOMPARE(again.stored.size(), 2);
        QCOMPARE(psql(QStringLiteral("SELECT count(*) FROM unconstrained_changelog")), logged);
    }

    void theIsolationPathChecksVersionsToo()
    {
        auto connector = provisioned(QStringLiteral("isolated"));
        const QList<Contact> batch = ContactGenerator(78).take(3);
        connector->writeBatch(batch, {});
        ExpectedVersions expected = currentVersions(*connector, idsOf(batch));
        Contact poison = ContactGenerator(79).next();
        poison.setValue(QStringLiteral("llm_summary"),
                        QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("x"), QString(QChar(0))}})));
        const Contact created = ContactGenerator(80).next();
        expected.expect(created.id(), std::nullopt);
        psql(
            QStringLiteral("UPDATE isolated SET nickname = 'psql edit' WHERE contact_id = '%1'").arg(batch.at(0).id()));
        psql(QStringLiteral("INSERT INTO isolated (contact_id, nickname) VALUES ('%1', 'typed in')").arg(created.id()));
        const WriteResult result = connector->writeBatch({withNickname(batch.at(0), QStringLiteral("sync")), poison,
                                                          withNickname(batch.at(1), QStringLiteral("sync")), created},
                                                         expected);
        QCOMPARE(result.rejected.keys(), QStringList{poison.id()});
        QCOMPARE(result.moved, (QStringList{batch.at(0).id(), created.id()}));
        QCOMPARE(idsOf(result.stored), QStringList{batch.at(1).id()});
        QCOMPARE(nicknameIn(QStringLiteral("isolated"), batch.at(0).id()), QStringLiteral("psql edit"));
        QCOMPARE(nicknameIn(QStringLiteral("isolated"), batch.at(1).id()), QStringLiteral("sync"));
        QCOMPARE(nicknameIn(QStringLiteral("isolated"), created.id()), QStringLiteral("typed in"));
    }

    // A second connection changes the row after the engine read it and commits: committed before the write, or
    // while the write waits for its lock, it is kept and the contact moved.
    void aConcurrentTransactionsEditIsNeverOverwritten()
    {
        auto connector = provisioned(QStringLiteral("concurrent"));
        const QList<Contact> batch = ContactGenerator(81).take(2);
        connector->writeBatch(batch, {});
        const ExpectedVersions expected = currentVersions(*connector, idsOf(batch));

        PsqlSession committed(m_server.dsn());
        committed.exec(
            QStringLiteral("BEGIN; UPDATE concurrent SET nickname = 'committed first' WHERE contact_id = '%1'; COMMIT;")
                .arg(batch.at(0).id()));
        std::future<WriteResult> pending;
        PsqlSession inFlight(
            m_server.dsn()); // after `pending`: destroyed first, its transaction can never block the join
        inFlight.exec(
            QStringLiteral("BEGIN; UPDATE concurrent SET nickname = 'committed while waiting' WHERE contact_id = '%1';")
                .arg(batch.at(1).id()));
        pending = std::async(std::launch::async, [&] {
            return connector->writeBatch(
                {withNickname(batch.at(0), QStringLiteral("sync")), withNickname(batch.at(1), QStringLiteral("sync"))},
                expected);
        });
        QVERIFY(connectorWaitsForALock());
        inFlight.exec(QStringLiteral("COMMIT;"));
        const WriteResult result = pending.get();
        QCOMPARE(result.moved, (QStringList{batch.at(0).id(), batch.at(1).id()}));
        QVERIFY(result.stored.isEmpty());
        QCOMPARE(nicknameIn(QStringLiteral("concurrent"), batch.at(0).id()), QStringLiteral("committed first"));
        QCOMPARE(nicknameIn(QStringLiteral("concurrent"), batch.at(1).id()), QStringLiteral("committed while waiting"));
    }

    // The row of a contact expected absent cannot be locked; a second connection inserting it meanwhile still wins.
    void aConcurrentInsertIsNeverOverwritten()
    {
        auto connector = provisioned(QStringLiteral("racing"));
        const QList<Contact> fresh{withNickname(ContactGenerator(82).next(), QStringLiteral("sync")),
                                   withNickname(ContactGenerator(182).next(), QStringLiteral("sync"))};
        ExpectedVersions expected;
        for (const Contact &contact : fresh)
            expected.expect(contact.id(), std::nullopt);
        std::future<WriteResult> pending;
        PsqlSession inFlight(m_server.dsn());
        for (const Contact &contact : fresh) {
            inFlight.exec(QStringLiteral("BEGIN; INSERT INTO racing (contact_id, nickname) VALUES ('%1', 'psql');")
                              .arg(contact.id()));
            pending = std::async(std::launch::async, [&] { return connector->writeBatch({contact}, expected); });
            QVERIFY(connectorWaitsForALock()); // for the other insert of the same key
            // The first insert commits: the contact moved. The second rolls back: the sync creates the contact.
            const bool commit = contact.id() == fresh.at(0).id();
            inFlight.exec(commit ? QStringLiteral("COMMIT;") : QStringLiteral("ROLLBACK;"));
            const WriteResult result = pending.get();
            QCOMPARE(result.moved, commit ? QStringList{contact.id()} : QStringList());
            QCOMPARE(idsOf(result.stored), commit ? QStringList() : QStringList{contact.id()});
            QCOMPARE(nicknameIn(QStringLiteral("racing"), contact.id()),
                     commit ? QStringLiteral("psql") : QStringLiteral("sync"));
        }
    }

    void pagingLosesAndDuplicatesNothing()
    {
        auto connector = provisioned(QStringLiteral("paging"));
        QList<Contact> all = ContactGenerator(5).take(2000);
        connector->writeBatch(all, {});
        const Drained initial = drain(*connector, QString(), 37);
        QCOMPARE(initial.contacts.size(), 2000);
        QCOMPARE(idSet(initial.contacts).size(), 2000);
        QVERIFY(initial.pages >= 2000 / 37);

        // Outside changes interleaved with the sync's own writes, which the small pages must step over.
        QSet<QString> expected;
        for (int round = 0; round < 3; ++round) {
            QStringList quoted;
            for (int i = round * 50; i < round * 50 + 50; ++i) {
                quoted << QStringLiteral("'%1'").arg(all.at(i).id());
                expected.insert(all.at(i).id());
            }
            psql(QStringLiteral("UPDATE paging SET department = 'psql round %1' WHERE contact_id IN (%2)")
                     .arg(round)
                     .arg(quoted.join(QLatin1Char(','))));
            QList<Contact> own = all.mid(1000 + round * 100, 100);
            for (Contact &contact : own)
                contact.setValue(QStringLiteral("notes"), QStringLiteral("sync round %1").arg(round));
            connector->writeBatch(own, {});
        }
        QStringList deleted;
        for (int i = 1900; i < 1910; ++i) {
            deleted << QStringLiteral("'%1'").arg(all.at(i).id());
            expected.insert(all.at(i).id());
        }
        psql(QStringLiteral("DELETE FROM paging WHERE contact_id IN (%1)").arg(deleted.join(QLatin1Char(','))));

        const Drained changes = drain(*connector, initial.watermark, 7);
        QCOMPARE(changes.contacts.size(), expected.size());
        QCOMPARE(idSet(changes.contacts), expected);
        int tombstones = 0;
        for (const Contact &contact : changes.contacts)
            tombstones += contact.isDeleted() ? 1 : 0;
        QCOMPARE(tombstones, 10);

        // Pruning: entries the engine has applied (at or below the watermark it passes back) and older than a day
        // go; later entries stay.
        psql(QStringLiteral("UPDATE paging_changelog SET changed_at = changed_at - interval '2 days'"));
        psql(QStringLiteral("UPDATE paging SET department = 'after' WHERE contact_id = '%1'").arg(all.at(1500).id()));
        const ChangePage last = connector->readChanges(changes.watermark, 7);
        QCOMPARE(idsOf(last.contacts), QStringList{all.at(1500).id()});
        QCOMPARE(psql(QStringLiteral("SELECT count(*) FROM paging_changelog")), QStringLiteral("1"));
        connector->readChanges(last.nextWatermark, 7);
        QCOMPARE(psql(QStringLiteral("SELECT count(*) FROM paging_changelog")), QStringLiteral("1")); // not a day old
    }

    void slowConcurrentTransactionIsNotSkipped()
    {
        // §1.4 caveat: seq order is not commit order. An older transaction commits a higher seq while a younger
        // one still holds a lower seq open; reading by "highest seq seen" would skip the younger one's change.
        auto connector = provisioned(QStringLiteral("slow"));
        const Drained start = drain(*connector, QString(), 10);
        PsqlSession older(m_server.dsn());
        PsqlSession slow(m_server.dsn());
        older.exec(QStringLiteral("BEGIN; SELECT pg_current_xact_id();"));
        slow.exec(QStringLiteral("BEGIN; INSERT INTO slow (contact_id, given_name) VALUES ('slow-1', 'Slow');"));
        older.exec(QStringLiteral("INSERT INTO slow (contact_id, given_name) VALUES ('older-1', 'Older'); COMMIT;"));
        QVERIFY(psql(QStringLiteral("SELECT min(seq) FROM slow_changelog")).toInt() > 0);

        const Drained during = drain(*connector, start.watermark, 10);
        QVERIFY(!idsOf(during.contacts).contains(QStringLiteral("slow-1")));
        slow.exec(QStringLiteral("COMMIT;"));
        const Drained after = drain(*connector, during.watermark, 10);
        const QStringList seen = idsOf(during.contacts) + idsOf(after.contacts);
        QCOMPARE(seen.count(QStringLiteral("slow-1")), 1);
        QCOMPARE(seen.count(QStringLiteral("older-1")), 1);
    }

    void notifyWakesChangesAvailable()
    {
        auto connector = provisioned(QStringLiteral("notify"));
        connector->readChanges(QString(), 10); // listening starts with the first read
        QSignalSpy spy(connector.get(), &Connector::changesAvailable);
        psql(QStringLiteral("INSERT INTO notify (contact_id, given_name) VALUES ('woken-1', 'Wake')"));
        QVERIFY(spy.wait(15000));
    }

    void survivesTheServerDroppingItsConnections()
    {
        auto connector = provisioned(QStringLiteral("dropped_sessions"));
        const Contact contact = ContactGenerator(61).next();
        connector->writeBatch({contact}, {});
        connector->readChanges(QString(), 10); // the LISTEN connection too
        QSignalSpy spy(connector.get(), &Connector::changesAvailable);
        // What a pooler recycling connections, a restart or a paused-and-restored project does to a session.
        QCOMPARE(psql(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                     "WHERE application_name = 'truthforge-sync'")),
                 QStringLiteral("2"));
        QCOMPARE(connector->readByIds({contact.id()}).size(), 1);
        // The listener reconnects on its own and says so: a NOTIFY sent while it was away is lost.
        QVERIFY(spy.wait(20000));
        spy.clear();
        psql(QStringLiteral("UPDATE dropped_sessions SET nickname = 'again' WHERE contact_id = '%1'").arg(contact.id()));
        QVERIFY(spy.wait(15000));
    }

    void cycleLockExcludesASecondInstance()
    {
        SupabaseConnector first(settings(QStringLiteral("locked")));
        SupabaseConnector second(settings(QStringLiteral("locked")));
        SupabaseConnector otherTable(settings(QStringLiteral("unrelated")));
        QVERIFY(first.tryAcquireCycleLock());
        QVERIFY(first.tryAcquireCycleLock()); // held already
        QVERIFY(!second.tryAcquireCycleLock());
        QVERIFY(otherTable.tryAcquireCycleLock());
        first.releaseCycleLock();
        QVERIFY(second.tryAcquireCycleLock());
        QVERIFY(!first.tryAcquireCycleLock());
        second.releaseCycleLock();
        otherTable.releaseCycleLock();
    }

    void poisonRowIsRejectedAloneWithTheServersReason()
    {
        auto connector = provisioned(QStringLiteral("poison"));
        QList<Contact> batch = ContactGenerator(31).take(4);
        Contact poison = ContactGenerator(32).next();
        // jsonb cannot hold U+0000: the server refuses this one row.
        poison.setValue(QStringLiteral("llm_summary"),
                        QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("x"), QString(QChar(0))}})));
        batch.insert(2, poison);
        const WriteResult result = connector->writeBatch(batch, {});
        QCOMPARE(result.rejected.keys(), QStringList{poison.id()});
        QVERIFY2(result.rejected.value(poison.id()).contains(QLatin1String("22P05")), qPrintable(result.rejected.value(poison.id())));
        QCOMPARE(result.stored.size(), 4);
        QVERIFY(connector->readByIds({poison.id()}).isEmpty());
        QCOMPARE(connector->readByIds(idsOf(batch)).size(), 4);

        Contact nameless;
        QCOMPARE(connector->writeBatch({nameless}, {}).rejected.size(), 1);
    }

    void wrongPasswordIsAnAuthenticationError()
    {
        const QString wrong = QStringLiteral("not-the-pw-4711");
        SupabaseConnector connector(settings(QStringLiteral("contacts"), dsnWithoutPassword(m_server.port())), wrong);
        const QList<HealthCheck> checks = connector.healthChecks();
        const std::optional<HealthCheck> credentials = findCheck(checks, QStringLiteral("credentials"));
        QVERIFY2(credentials && !credentials->ok, qPrintable(describeChecks(checks)));
        QVERIFY(findCheck(checks, QStringLiteral("reachable"))->ok);
        QVERIFY(credentials->message.contains(QLatin1String("password authentication failed")));
        QVERIFY(!credentials->hint.isEmpty());
        QVERIFY(!describeChecks(checks).contains(wrong));
        try {
            connector.readByIds({QStringLiteral("x")});
            QFAIL("a wrong password must throw");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Authentication);
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.startsWith(QLatin1String("supabase: ")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("127.0.0.1:%1/postgres").arg(m_server.port())), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("public.contacts")), qPrintable(message));
            QVERIFY(!message.contains(wrong));
        }

        // No password in the DSN nor given: TF_SUPABASE_PASSWORD.
        qputenv("TF_SUPABASE_PASSWORD", m_server.password().toUtf8());
        SupabaseConnector fromEnvironment(settings(QStringLiteral("contacts"), dsnWithoutPassword(m_server.port())));
        qunsetenv("TF_SUPABASE_PASSWORD");
        QVERIFY2(findCheck(fromEnvironment.healthChecks(), QStringLiteral("credentials"))->ok,
                 qPrintable(describeChecks(fromEnvironment.healthChecks())));

        // The URI shape of Supabase's dashboard, with the password percent-encoded as its docs say (§1.1).
        const QString uri = QStringLiteral("postgresql://postgres:%1@127.0.0.1:%2/postgres?sslmode=disable")
                                .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_server.password())))
                                .arg(m_server.port());
        SupabaseConnector fromUri(settings(QStringLiteral("contacts"), uri), wrong);
        const QList<HealthCheck> uriChecks = fromUri.healthChecks();
        QVERIFY2(findCheck(uriChecks, QStringLiteral("credentials"))->ok, qPrintable(describeChecks(uriChecks)));
    }

    void unreachablePortAndMissingDatabaseAreTold()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const int closedPort = probe.serverPort();
        probe.close();
        SupabaseConnector unreachable(settings(QStringLiteral("contacts"), dsnWithoutPassword(closedPort)), m_server.password());
        const QList<HealthCheck> checks = unreachable.healthChecks();
        const std::optional<HealthCheck> reachable = findCheck(checks, QStringLiteral("reachable"));
        QVERIFY2(reachable && !reachable->ok, qPrintable(describeChecks(checks)));
        QVERIFY(!reachable->hint.isEmpty());
        try {
            unreachable.readChanges(QString(), 10);
            QFAIL("an unreachable server must throw");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Unreachable);
            QVERIFY(error.isTransient());
            QVERIFY2(error.message().contains(QStringLiteral("127.0.0.1:%1").arg(closedPort)), qPrintable(error.message()));
        }

        // sslmode is the user's: require against a server without TLS fails instead of falling back to plaintext.
        SupabaseConnector tls(settings(QStringLiteral("contacts"),
                                       m_server.dsn().replace(QStringLiteral("sslmode=disable"), QStringLiteral("sslmode=require"))));
        const QList<HealthCheck> tlsChecks = tls.healthChecks();
        const std::optional<HealthCheck> refused = findCheck(tlsChecks, QStringLiteral("reachable"));
        QVERIFY2(refused && !refused->ok && refused->message.contains(QLatin1String("SSL")), qPrintable(describeChecks(tlsChecks)));
        QVERIFY(refused->hint.contains(QLatin1String("sslrootcert")));

        SupabaseConnector noDatabase(settings(QStringLiteral("contacts"), m_server.dsn(QStringLiteral("no_such_db"))));
        const QList<HealthCheck> dbChecks = noDatabase.healthChecks();
        const std::optional<HealthCheck> database = findCheck(dbChecks, QStringLiteral("database"));
        QVERIFY2(database && !database->ok, qPrintable(describeChecks(dbChecks)));
        QVERIFY(database->message.contains(QLatin1String("no_such_db")));
        QVERIFY(findCheck(dbChecks, QStringLiteral("credentials"))->ok);
    }

    void missingOrMistypedColumnIsNamed()
    {
        auto connector = provisioned(QStringLiteral("dropped"));
        connector->writeBatch(ContactGenerator(41).take(2), {});
        psql(QStringLiteral("ALTER TABLE dropped DROP COLUMN nickname"));
        std::optional<HealthCheck> schema = findCheck(connector->healthChecks(), QStringLiteral("schema"));
        QVERIFY(schema && !schema->ok);
        QVERIFY2(schema->message.contains(QLatin1String("\"nickname\"")), qPrintable(schema->message));
        for (const auto &call : std::initializer_list<std::function<void()>>{
                 [&] { connector->readChanges(QString(), 10); },
                 [&] { connector->writeBatch(ContactGenerator(42).take(1), {}); }}) {
            try {
                call();
                QFAIL("a missing column must throw");
            } catch (const ConnectorError &error) {
                QCOMPARE(error.kind(), ConnectorError::Kind::Schema);
                QVERIFY2(error.message().contains(QLatin1String("nickname")) && error.message().contains(QLatin1String("42703"))
                             && error.message().contains(QLatin1String("public.dropped")),
                         qPrintable(error.message()));
            }
        }
        connector->provision(); // adds the column back
        QVERIFY(findCheck(connector->healthChecks(), QStringLiteral("schema"))->ok);

        psql(QStringLiteral("ALTER TABLE dropped ALTER COLUMN relationship_strength TYPE text"));
        schema = findCheck(connector->healthChecks(), QStringLiteral("schema"));
        QVERIFY(schema && !schema->ok);
        QVERIFY2(schema->message.contains(QLatin1String("\"relationship_strength\" is text"))
                     && schema->message.contains(QLatin1String("double precision")),
                 qPrintable(schema->message));
    }

    void readOnlyDatabaseIsRejectedButReadable()
    {
        psql(QStringLiteral("CREATE DATABASE quota_full"));
        SupabaseConnector setup(settings(QStringLiteral("contacts"), m_server.dsn(QStringLiteral("quota_full"))));
        setup.provision();
        setup.writeBatch(ContactGenerator(51).take(3), {});
        psql(QStringLiteral("ALTER DATABASE quota_full SET default_transaction_read_only = on"));

        SupabaseConnector connector(settings(QStringLiteral("contacts"), m_server.dsn(QStringLiteral("quota_full"))));
        try {
            connector.writeBatch(ContactGenerator(52).take(2), {});
            QFAIL("a read-only database must refuse the write");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Rejected);
            QVERIFY2(error.message().contains(QLatin1String("read-only (quota?)")) && error.message().contains(QLatin1String("25006")),
                     qPrintable(error.message()));
        }
        const Drained all = drain(connector, QString(), 2);
        QCOMPARE(all.contacts.size(), 3);
        QVERIFY(drain(connector, all.watermark, 2).contacts.isEmpty()); // the log read (and its pruning) copes too
    }

    void transactionPoolerPortWarnsWithoutAServer()
    {
        SupabaseConnector pooled(SupabaseSettings{
            QStringLiteral("postgresql://postgres.abcdefghij:secret@127.0.0.1:6543/postgres?sslmode=disable"),
            QStringLiteral("public"), QStringLiteral("contacts")});
        const QList<HealthCheck> checks = pooled.healthChecks();
        const std::optional<HealthCheck> mode = findCheck(checks, QStringLiteral("connection mode"));
        QVERIFY2(mode && mode->ok && mode->warning, qPrintable(describeChecks(checks)));
        QVERIFY(mode->message.contains(QLatin1String("6543")));
        QVERIFY(mode->message.contains(QLatin1String("LISTEN")));
        QVERIFY(!describeChecks(checks).contains(QLatin1String("secret")));
        QVERIFY(pooled.tryAcquireCycleLock()); // no session lock is possible there: granted, with the warning above
        pooled.releaseCycleLock();
    }

    void malformedSettingsAreConfigurationErrors()
    {
        const auto kindOf = [](const SupabaseSettings &bad) {
            try {
                SupabaseConnector connector(bad);
            } catch (const ConnectorError &error) {
                return error.kind();
            }
            return ConnectorError::Kind::Internal;
        };
        QCOMPARE(kindOf(SupabaseSettings{QStringLiteral("host=x port"), QStringLiteral("public"), QStringLiteral("c")}),
                 ConnectorError::Kind::Configuration);
        QCOMPARE(kindOf(SupabaseSettings{m_server.dsn(), QStringLiteral("public"), QString()}),
                 ConnectorError::Kind::Configuration);
        SupabaseConnector connector(settings(QStringLiteral("contacts")));
        try {
            connector.readChanges(QStringLiteral("42"), 10);
            QFAIL("a foreign watermark must throw");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Configuration);
        }
    }
};

QTEST_MAIN(TestSupabaseConnector)
#include "tst_supabaseconnector.moc"
