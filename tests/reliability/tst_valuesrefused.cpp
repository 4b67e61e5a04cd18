#include "core/statedatabase.h"
#include "reliability/syncedstand.h"
#include "support/bigqueryjob.h"
#include "support/outsidesql.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QtTest>
#include <functional>

using namespace tf;
using namespace tf::test;

namespace {

const QString kGivenName = QStringLiteral("given_name");
const QString kNotes = QStringLiteral("notes");
const QString kStrength = QStringLiteral("relationship_strength");
const QStringList kWatched{kGivenName, kNotes, kStrength, QStringLiteral("nickname"), QStringLiteral("job_title")};

// What every layer holds of one contact in the watched fields, read from outside: "layer field='value'" lines.
QMap<Layer, QHash<QString, QString>> holdings(const SyncedStand &stand, const QString &id)
{
    QMap<Layer, QHash<QString, QString>> held;
    for (const LayerSnapshot &snapshot : stand.reader().readAll(kWatched)) {
        const LayerRow *row = snapshot.row(id);
        held.insert(snapshot.layer,
                    row ? row->values : QHash<QString, QString>{{QStringLiteral("error"), snapshot.error}});
    }
    return held;
}

QString describe(const QMap<Layer, QHash<QString, QString>> &held)
{
    QString text;
    for (auto it = held.cbegin(); it != held.cend(); ++it) {
        text += QStringLiteral("  %1:").arg(layerName(it.key()));
        for (const QString &field : kWatched)
            text += QStringLiteral(" %1='%2'").arg(field, it.value().value(field).left(60).toHtmlEscaped());
        text += QLatin1Char('\n');
    }
    return text;
}

} // namespace

// Issue 9, "values are carried exactly, or refused the same way in every layer": a value some layer cannot store
// (U+0000, text that is not UTF-8, NaN or an infinity, a contact too big for BigQuery's request) is written into
// one layer from outside; a cycle of the real tfsync binary must refuse that contact with a dead letter naming the
// field and the reason, leave every other layer exactly as it was, carry the rest of the cycle, and show the refusal
// in `tfsync verify` (text and --json). Once the value is fixed in that layer, the next cycle carries the fixed value
// to every layer and clears the dead letter.
class TestValuesRefused : public QObject {
    Q_OBJECT

    QTextStream m_log{stderr};
    std::unique_ptr<SyncedStand> m_stand;
    int m_nextContact = 0;

    // One scenario: `spoil` writes the bad value of `field` into `layer` (empty on success), `fix` a good one whose
    // text every layer must then hold (`fixedText`). `reason` is what the dead letter must say after "layer: field ".
    void refusedThenCarried(Layer layer, const QString &field, const std::function<QString(const QString &id)> &spoil,
                            const QString &reasonStart, const std::function<QString(const QString &id)> &fix,
                            const QString &fixedText)
    {
        SyncedStand &stand = *m_stand;
        const QString id = stand.contactIds().at(m_nextContact++);
        const QString bystander = stand.contactIds().at(m_nextContact++);
        const QMap<Layer, QHash<QString, QString>> before = holdings(stand, id);

        QCOMPARE(spoil(id), QString());
        // The rest of the cycle goes on: an ordinary edit of another contact in the same cycle is carried.
        QCOMPARE(
            stand.editor().setText(Layer::Crm, bystander, QStringLiteral("job_title"), QStringLiteral("Bystander")),
            QString());
        const TfSyncRun refused = stand.cli().run({QStringLiteral("run"), QStringLiteral("--once")});
        const QString expectedLine
            = QStringLiteral("refused: contact %1: %2: %3 %4").arg(id, layerName(layer), field, reasonStart);
        QVERIFY2(refused.exitCode == 1, qPrintable(refused.transcript())); // works, but not clean (a dead letter)
        QVERIFY2(refused.err.contains(expectedLine),
                 qPrintable(expectedLine + QStringLiteral("\nnot in\n") + refused.transcript()));

        const QMap<Layer, QHash<QString, QString>> after = holdings(stand, id);
        for (Layer each : allLayers()) {
            if (each != layer)
                QVERIFY2(after.value(each) == before.value(each),
                         qPrintable(QStringLiteral("%1 changed while the contact was refused:\nbefore\n%2after\n%3")
                                        .arg(layerName(each), describe(before), describe(after))));
        }
        for (const LayerSnapshot &snapshot : stand.reader().readAll({QStringLiteral("job_title")}))
            QCOMPARE(snapshot.value(bystander, QStringLiteral("job_title")), QStringLiteral("Bystander"));

        {
            StateDatabase state(stand.statePath());
            state.open();
            QList<DeadLetter> letters;
            for (const DeadLetter &letter : state.deadLetters()) {
                if (letter.contactId == id)
                    letters << letter;
            }
            QCOMPARE(letters.size(), 1);
            QCOMPARE(letters.first().layer, layer);
            QCOMPARE(letters.first().field, field);
            QVERIFY2(
                letters.first().error.startsWith(QStringLiteral("%1: %2 %3").arg(layerName(layer), field, reasonStart)),
                qPrintable(letters.first().error));
        }
        int verifyExit = -1;
        const QJsonObject verified = stand.cli().verify(&verifyExit);
        QCOMPARE(verifyExit, 1);
        QCOMPARE(verified.value(QStringLiteral("consistent")).toBool(true), false);
        QJsonObject listed;
        for (const QJsonValue &contact : verified.value(QStringLiteral("contacts")).toArray()) {
            if (contact[QStringLiteral("contact_id")].toString() == id)
                listed = contact.toObject();
        }
        QVERIFY2(listed.contains(QStringLiteral("differences")), "verify --json does not list the refused contact");
        const QJsonObject refusal = listed.value(QStringLiteral("refused")).toArray().first().toObject();
        QCOMPARE(refusal.value(QStringLiteral("layer")).toString(), layerName(layer));
        QCOMPARE(refusal.value(QStringLiteral("field")).toString(), field);
        QVERIFY2(refusal.value(QStringLiteral("reason")).toString().startsWith(reasonStart),
                 qPrintable(refusal.value(QStringLiteral("reason")).toString()));
        const TfSyncRun verifyText = stand.cli().run({QStringLiteral("verify"), QStringLiteral("--contact-id"), id});
        QCOMPARE(verifyText.exitCode, 1);
        QVERIFY2(
            verifyText.out.contains(QStringLiteral("  refused: %1: %2 %3").arg(layerName(layer), field, reasonStart)),
            qPrintable(verifyText.transcript()));

        // Fixed where it was spoiled: the next cycle carries the value exactly, everywhere, and clears the letter.
        QCOMPARE(fix(id), QString());
        const TfSyncRun carried = stand.cli().run({QStringLiteral("run"), QStringLiteral("--once")});
        QVERIFY2(carried.exitCode == 0 && !carried.err.contains(QStringLiteral("refused")),
                 qPrintable(carried.transcript()));
        const QMap<Layer, QHash<QString, QString>> fixed = holdings(stand, id);
        for (Layer each : allLayers())
            QVERIFY2(
                fixed.value(each).value(field) == fixedText,
                qPrintable(
                    QStringLiteral("%1 does not hold '%2':\n%3").arg(layerName(each), fixedText, describe(fixed))));
        {
            StateDatabase state(stand.statePath());
            state.open();
            for (const DeadLetter &letter : state.deadLetters())
                QVERIFY2(letter.contactId != id, qPrintable(letter.error));
        }
        const QJsonObject consistent = stand.cli().verify(&verifyExit);
        QVERIFY2(verifyExit == 0, qPrintable(QJsonDocument(consistent).toJson()));
    }

    using Edit = std::function<QString(const QString &id)>;

    // An outside UPDATE of one contact in the SQLite file or in Postgres: `assignment` ("notes = ?"), `bindings` for
    // its placeholders.
    Edit sqlSet(Layer layer, const QString &assignment, const QVariantList &bindings = {})
    {
        return [this, layer, assignment, bindings](const QString &id) {
            OutsideSql connection(layer, m_stand->config(), m_stand->postgresPassword());
            int rows = 0;
            const QString error = connection.exec(
                QStringLiteral("UPDATE %1 SET %2 WHERE contact_id = ?").arg(connection.table(), assignment),
                QVariantList(bindings) << id, &rows);
            return !error.isEmpty() ? error : rows == 1 ? QString() : QStringLiteral("%1 rows changed").arg(rows);
        };
    }

    // A DML job on BigQuery, the way any client edits it (updated_at moves, as the contract's writers do).
    Edit bigquerySet(const QString &assignment)
    {
        return [this, assignment](const QString &id) {
            const BigQuerySettings settings = *m_stand->config().bigquery;
            const BigQueryAnswer answer = runBigQueryJob(
                settings,
                QStringLiteral("UPDATE %1 SET %2, updated_at = CURRENT_TIMESTAMP() WHERE contact_id = @id")
                    .arg(bigQueryTable(settings), assignment),
                {stringParameter(QStringLiteral("id"), id)});
            return !answer.error.isEmpty() ? answer.error
                : answer.dmlAffected == 1  ? QString()
                                           : QStringLiteral("%1 rows changed").arg(answer.dmlAffected);
        };
    }

    // `edit`, once the local column still holds exactly `spoiled` (the refused value stays as it was, byte for byte,
    // until the person fixes it), read past the driver's own text conversion.
    Edit unlessChanged(const QString &field, const QByteArray &spoiled, const Edit &edit)
    {
        return [this, field, spoiled, edit](const QString &id) {
            OutsideSql connection(Layer::Local, m_stand->config(), {});
            QByteArray bytes;
            connection.select(
                QStringLiteral("SELECT CAST(\"%1\" AS BLOB) FROM contacts WHERE contact_id = '%2'").arg(field, id),
                [&bytes](const QSqlQuery &query) { bytes = query.value(0).toByteArray(); });
            return bytes == spoiled ? edit(id)
                                    : QStringLiteral("local %1 is no longer the refused bytes: %2")
                                          .arg(field, QString::fromLatin1(bytes.toHex()));
        };
    }

private slots:
    void initTestCase()
    {
        quietInProcessLogging();
        m_stand = std::make_unique<SyncedStand>(m_log);
        QElapsedTimer timer;
        timer.start();
        const QString error = m_stand->start(20);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_log << "stand ready in " << timer.elapsed() << " ms\n";
    }
    void cleanupTestCase() { m_stand.reset(); }

    void aNulByteInLocalText()
    {
        refusedThenCarried(Layer::Local, kGivenName,
                           sqlSet(Layer::Local, QStringLiteral("given_name = 'Ann' || char(0) || 'e'")),
                           QStringLiteral("contains a NUL byte, which PostgreSQL text cannot store"),
                           unlessChanged(kGivenName, QByteArray("Ann\0e", 5),
                                         sqlSet(Layer::Local, QStringLiteral("given_name = 'Annie'"))),
                           QStringLiteral("Annie"));
    }

    void invalidUtf8InLocalText()
    {
        refusedThenCarried(Layer::Local, kNotes,
                           sqlSet(Layer::Local, QStringLiteral("notes = CAST(X'4e6f7465733a20ff0a' AS TEXT)")),
                           QStringLiteral("is not valid UTF-8 at byte 7 (0xff)"),
                           unlessChanged(kNotes, QByteArray::fromHex("4e6f7465733a20ff0a"),
                                         sqlSet(Layer::Local, QStringLiteral("notes = 'Notes: caf\u00e9 \u2615'"))),
                           QStringLiteral("Notes: caf\u00e9 \u2615"));
    }

    void notANumberInLocal()
    {
        refusedThenCarried(
            Layer::Local, kStrength, sqlSet(Layer::Local, QStringLiteral("relationship_strength = 'NaN'")),
            QStringLiteral("is NaN, which JSON and Twenty cannot carry"),
            sqlSet(Layer::Local, QStringLiteral("relationship_strength = 0.625")), QStringLiteral("0.625"));
    }

    void notANumberInPostgres()
    {
        refusedThenCarried(Layer::Supabase, kStrength,
                           sqlSet(Layer::Supabase, QStringLiteral("relationship_strength = 'NaN'::float8")),
                           QStringLiteral("is NaN, which JSON and Twenty cannot carry"),
                           sqlSet(Layer::Supabase, QStringLiteral("relationship_strength = 0.375")),
                           QStringLiteral("0.375"));
    }

    void infinityInPostgres()
    {
        refusedThenCarried(
            Layer::Supabase, kStrength, sqlSet(Layer::Supabase, QStringLiteral("relationship_strength = '-Infinity'")),
            QStringLiteral("is -Infinity, which JSON and Twenty cannot carry"),
            sqlSet(Layer::Supabase, QStringLiteral("relationship_strength = 0.125")), QStringLiteral("0.125"));
    }

    // The stand-in keeps FLOAT64 in SQLite, which has no NaN (it refuses one); an infinity it holds, and BigQuery's
    // API returns it as "Infinity" (bigquery-rest.md §1.3).
    void infinityInBigQuery()
    {
        refusedThenCarried(Layer::BigQuery, kStrength,
                           bigquerySet(QStringLiteral("relationship_strength = CAST('inf' AS FLOAT64)")),
                           QStringLiteral("is Infinity, which JSON and Twenty cannot carry"),
                           bigquerySet(QStringLiteral("relationship_strength = 0.875")), QStringLiteral("0.875"));
    }

    // Real Twenty stores text in PostgreSQL and refuses U+0000 itself; its stand-in keeps it, so the sync must.
    void aNulByteInTwentyText()
    {
        refusedThenCarried(
            Layer::Crm, kNotes,
            [&](const QString &id) {
                return m_stand->editor().setText(Layer::Crm, id, kNotes,
                                                 QStringLiteral("before") + QChar(0) + QStringLiteral("after"));
            },
            QStringLiteral("contains a NUL byte, which PostgreSQL text cannot store"),
            [&](const QString &id) {
                return m_stand->editor().setText(Layer::Crm, id, kNotes, QStringLiteral("before and after"));
            },
            QStringLiteral("before and after"));
    }

    // 9 MiB of notes fit SQLite, PostgreSQL and Twenty, but not one BigQuery request: refused everywhere, not kept
    // by three layers and missing from the canonical one.
    void aNoteTooBigForBigQuery()
    {
        const QString huge(9 * 1024 * 1024, QLatin1Char('x'));
        refusedThenCarried(Layer::Local, kNotes, sqlSet(Layer::Local, QStringLiteral("notes = ?"), {huge}),
                           QStringLiteral("is %1 bytes, so the contact comes to").arg(huge.size() + 2),
                           sqlSet(Layer::Local, QStringLiteral("notes = ?"), {huge.left(64 * 1024)}),
                           huge.left(64 * 1024));
    }
};

QTEST_GUILESS_MAIN(TestValuesRefused)
#include "tst_valuesrefused.moc"
