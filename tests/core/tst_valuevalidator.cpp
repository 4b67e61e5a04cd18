#include "core/contactcodec.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/utf8text.h"
#include "core/valuegate.h"
#include "core/valuevalidator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>

using namespace tf;

// The one check of whether a contact's values can be carried to every layer exactly (ValueValidator), the strict
// UTF-8 decoding the SQLite connector reads text with (Utf8Text), and the gate that turns refusals into dead letters
// and clears them once the value is fixed (ValueGate).
class TestValueValidator : public QObject {
    Q_OBJECT

    static Contact sample() { return ContactGenerator(5).next(); }

    static QStringList messages(const QList<RefusedValue> &refused)
    {
        QStringList texts;
        for (const RefusedValue &value : refused)
            texts << value.message();
        return texts;
    }

private slots:
    void anOrdinaryContactIsCarried()
    {
        for (const Contact &contact : ContactGenerator(9).take(20))
            QVERIFY2(ValueValidator::refusals(contact, Layer::Local).isEmpty(),
                     qPrintable(messages(ValueValidator::refusals(contact, Layer::Local)).join('\n')));
    }

    void aNulByteIsRefusedInEveryTextKind_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("message");
        const QString nul = QStringLiteral("Ann") + QChar(0) + QStringLiteral("e");
        QTest::newRow("text") << "given_name" << QVariant(nul)
                              << "supabase: given_name contains a NUL byte, which PostgreSQL text cannot store";
        QTest::newRow("list entry") << "tags" << QVariant(QStringList{QStringLiteral("ok"), nul})
                                    << "supabase: tags entry 2 contains a NUL byte, which PostgreSQL text cannot store";
        QTest::newRow("json string") << "llm_summary"
                                     << QVariant::fromValue(
                                            QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonArray{nul}}}))
                                     << "supabase: llm_summary contains a NUL character (\\u0000), which PostgreSQL "
                                        "jsonb cannot store";
        QTest::newRow("json key") << "ai_insights" << QVariant::fromValue(QJsonValue(QJsonObject{{nul, 1}}))
                                  << "supabase: ai_insights contains a NUL character (\\u0000), which PostgreSQL "
                                     "jsonb cannot store";
    }
    void aNulByteIsRefusedInEveryTextKind()
    {
        QFETCH(QString, field);
        QFETCH(QVariant, value);
        QFETCH(QString, message);
        Contact contact = sample();
        contact.setValue(field, value);
        const QList<RefusedValue> refused = ValueValidator::refusals(contact, Layer::Supabase);
        QCOMPARE(messages(refused), QStringList{message});
        QCOMPARE(refused.first().field, field);
        QCOMPARE(refused.first().layer, Layer::Supabase);
    }

    void aBackslashSequenceIsNotANul()
    {
        Contact contact = sample();
        contact.setValue(QStringLiteral("notes"), QStringLiteral("C:\\u0000\\path"));
        contact.setValue(QStringLiteral("llm_topics"), QVariant::fromValue(QJsonValue(QStringLiteral("\\u0000"))));
        QVERIFY(ValueValidator::refusals(contact, Layer::Local).isEmpty());
    }

    void nonFiniteFloatsAreRefusedByName_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("spelled");
        QTest::newRow("NaN") << QVariant(std::numeric_limits<double>::quiet_NaN()) << "NaN";
        QTest::newRow("+inf") << QVariant(std::numeric_limits<double>::infinity()) << "Infinity";
        QTest::newRow("-inf") << QVariant(-std::numeric_limits<double>::infinity()) << "-Infinity";
        QTest::newRow("NaN as text") << QVariant(QStringLiteral("NaN")) << "NaN";
        QTest::newRow("Infinity as text") << QVariant(QStringLiteral("-Infinity")) << "-Infinity";
    }
    void nonFiniteFloatsAreRefusedByName()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, spelled);
        Contact contact = sample();
        contact.setValue(QStringLiteral("relationship_strength"), value);
        QCOMPARE(messages(ValueValidator::refusals(contact, Layer::BigQuery)),
                 QStringList{QStringLiteral("bigquery: relationship_strength is %1, which JSON and Twenty cannot carry")
                                 .arg(spelled)});
    }

    void finiteFloatsAndNullAreCarried()
    {
        Contact contact = sample();
        for (const QVariant &value : {QVariant(0.0), QVariant(-1e308), QVariant(0.1 + 0.2), QVariant()}) {
            contact.setValue(QStringLiteral("relationship_strength"), value);
            QVERIFY(ValueValidator::refusals(contact, Layer::Crm).isEmpty());
        }
    }

    // NaN is not NULL anywhere in the engine: a NaN replacing NULL is a change a hash and a diff see.
    void nanIsNeitherNullNorLostInTheCanonicalForms()
    {
        const FieldSpec &spec = FieldRegistry::field(QStringLiteral("relationship_strength"));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(!ContactNormalizer::valuesEqual(spec, nan, QVariant()));
        QVERIFY(ContactNormalizer::valuesEqual(spec, nan, QStringLiteral("NaN")));
        QCOMPARE(ContactNormalizer::canonicalText(spec, -std::numeric_limits<double>::infinity()),
                 QStringLiteral("-Infinity"));
        QCOMPARE(ContactCodec::valueToJson(spec, nan), QJsonValue(QStringLiteral("NaN")));
        QVERIFY(std::isnan(ContactCodec::valueFromJson(spec, QJsonValue(QStringLiteral("NaN"))).toDouble()));
        Contact withNan = sample();
        Contact withNull = withNan;
        withNan.setValue(spec.index, nan);
        withNull.setValue(spec.index, QVariant());
        QVERIFY(ContentHash::of(withNan) != ContentHash::of(withNull));
    }

    void theConnectorsMarksComeFirstAndReplaceTheFieldsOwnCheck()
    {
        Contact contact = sample();
        const int notes = FieldRegistry::indexOf(QStringLiteral("notes"));
        contact.setValue(notes, QString(QChar(0xFFFD)));
        contact.markUnreadable(notes, QStringLiteral("is not valid UTF-8 at byte 17 (0xff)"));
        contact.setValue(QStringLiteral("given_name"), QString(QChar(0)));
        QCOMPARE(
            messages(ValueValidator::refusals(contact, Layer::Local)),
            (QStringList{QStringLiteral("local: given_name contains a NUL byte, which PostgreSQL text cannot store"),
                         QStringLiteral("local: notes is not valid UTF-8 at byte 17 (0xff)")}));
    }

    // BigQuery's MERGE request (10 MB with its parameters) is the narrowest layer: a contact over the budget is
    // refused everywhere, naming the field that makes it so; one just under it is carried.
    void aContactTooBigForOneBigQueryRequestIsRefused()
    {
        Contact contact = sample();
        contact.setValue(QStringLiteral("notes"), QVariant());
        qint64 rest = 0;
        for (const FieldSpec &spec : FieldRegistry::fields())
            rest += ValueValidator::carriedBytes(spec, contact.value(spec.index));
        const qint64 fits = ValueValidator::kMaxContactBytes - rest - 2; // the quotes of the string
        contact.setValue(QStringLiteral("notes"), QString(fits, QLatin1Char('n')));
        QVERIFY2(ValueValidator::refusals(contact, Layer::Local).isEmpty(),
                 qPrintable(messages(ValueValidator::refusals(contact, Layer::Local)).join('\n')));
        contact.setValue(QStringLiteral("notes"), QString(fits + 1, QLatin1Char('n')));
        const QList<RefusedValue> refused = ValueValidator::refusals(contact, Layer::Local);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().field, QStringLiteral("notes"));
        QVERIFY2(
            refused.first().reason.contains(
                QStringLiteral("more than the %1 one BigQuery request carries").arg(ValueValidator::kMaxContactBytes)),
            qPrintable(refused.first().reason));
    }

    // Escapes count: a control character takes six bytes as a JSON parameter.
    void escapedCharactersCountAtTheirEscapedSize()
    {
        const FieldSpec &notes = FieldRegistry::field(QStringLiteral("notes"));
        QCOMPARE(ValueValidator::carriedBytes(notes, QString(10, QChar(1))), qint64(62));
        QCOMPARE(ValueValidator::carriedBytes(notes, QStringLiteral("é😀\"")), qint64(2 + 2 + 4 + 2));
    }

    void tooManyListEntriesAreRefused()
    {
        Contact contact = sample();
        QStringList tags;
        for (int i = 0; i < ValueValidator::kMaxListEntries; ++i)
            tags << QString::number(i);
        contact.setValue(QStringLiteral("tags"), tags);
        contact.setValue(field::Emails, QVariant());
        contact.setValue(field::Phones, QVariant());
        QVERIFY(ValueValidator::refusals(contact, Layer::Crm).isEmpty());
        contact.setValue(field::Phones, QStringList{QStringLiteral("+441234567890")});
        const QList<RefusedValue> refused = ValueValidator::refusals(contact, Layer::Crm);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().field, QStringLiteral("tags"));
        QVERIFY(refused.first().reason.contains(
            QStringLiteral("%1 list entries").arg(ValueValidator::kMaxListEntries + 1)));
    }

    void utf8IsDecodedExactly()
    {
        const QString text = QChar(0xFEFF) + QStringLiteral("Zoë 😀 ") + QChar(0xFFFE) + QChar(0);
        const DecodedText decoded = Utf8Text::decode(text.toUtf8());
        QVERIFY(decoded.valid());
        QCOMPARE(decoded.text, text); // the byte-order mark and U+0000 too
    }

    void theFirstInvalidByteIsNamed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("at");
        QTest::newRow("stray 0xff") << QByteArray("Caf\xc3\xa9 \xff!") << 6;
        QTest::newRow("lone continuation") << QByteArray("ab\x80") << 2;
        QTest::newRow("cut at the end") << QByteArray("price \xe2\x82") << 6;
        QTest::newRow("lead then ascii") << QByteArray("x\xc3(") << 1;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << 0;
        QTest::newRow("overlong three bytes") << QByteArray("\xe0\x80\xaf") << 0;
        QTest::newRow("surrogate") << QByteArray("ok\xed\xa0\x80") << 2;
        QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << 0;
        QTest::newRow("latin-1 text") << QByteArray("na\xefve") << 2;
    }
    void theFirstInvalidByteIsNamed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, at);
        QCOMPARE(Utf8Text::firstInvalidByte(bytes), qsizetype(at));
        const DecodedText decoded = Utf8Text::decode(bytes);
        QVERIFY(!decoded.valid());
        QCOMPARE(decoded.invalidAt, qsizetype(at));
    }

    // A refusal is a dead letter naming the field, with a failed journal entry; the next clean read clears it.
    void theGateRecordsAndClearsDeadLetters()
    {
        QTemporaryDir dir;
        StateDatabase state(dir.filePath(QStringLiteral("state.sqlite")));
        state.open();
        Contact good = sample();
        Contact bad = good;
        bad.setValue(QStringLiteral("relationship_strength"), std::numeric_limits<double>::quiet_NaN());

        CycleReport dry;
        QVERIFY(!ValueGate(&state, QStringLiteral("c0"), true).admit(good.id(), {{Layer::Local, bad}}, dry));
        QCOMPARE(dry.refusedValues.size(), 1);
        QVERIFY(state.deadLetters().isEmpty()); // a dry run records nothing

        CycleReport report;
        QVERIFY(!ValueGate(&state, QStringLiteral("c1"), false)
                     .admit(good.id(), {{Layer::BigQuery, good}, {Layer::Local, bad}}, report));
        QCOMPARE(report.rejected.value(Layer::Local), 1);
        QCOMPARE(report.rejected.value(Layer::BigQuery), 0);
        QCOMPARE(report.refusedValues,
                 QStringList{QStringLiteral("contact %1: local: relationship_strength is NaN, which JSON and Twenty "
                                            "cannot carry")
                                 .arg(good.id())});
        QCOMPARE(state.deadLetters().size(), 1);
        const DeadLetter letter = state.deadLetters().first();
        QCOMPARE(letter.contactId, good.id());
        QCOMPARE(letter.layer, Layer::Local);
        QCOMPARE(letter.field, QStringLiteral("relationship_strength"));
        QCOMPARE(letter.error,
                 QStringLiteral("local: relationship_strength is NaN, which JSON and Twenty cannot carry"));
        const QList<JournalEntry> history = state.history(good.id());
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.first().operation, QStringLiteral("refused"));
        QCOMPARE(history.first().status, JournalEntry::Status::Failed);

        // A write refusal of another layer is not the gate's to clear.
        state.addDeadLetter(good.id(), Layer::Crm, QStringLiteral("crm: refused the batch"));
        CycleReport fixed;
        QVERIFY(ValueGate(&state, QStringLiteral("c2"), false)
                    .admit(good.id(), {{Layer::BigQuery, good}, {Layer::Local, good}}, fixed));
        QVERIFY(fixed.refusedValues.isEmpty());
        QCOMPARE(state.deadLetters().size(), 1);
        QCOMPARE(state.deadLetters().first().layer, Layer::Crm);
        QVERIFY(state.deadLetters().first().field.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestValueValidator)
#include "tst_valuevalidator.moc"
