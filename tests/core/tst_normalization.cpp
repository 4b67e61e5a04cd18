#include "core/contactcodec.h"
#include "core/contactgenerator.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/uuid7.h"
#include "support/testcontacts.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

using namespace tf;

class TestNormalization : public QObject
{
    Q_OBJECT

    static const FieldSpec &spec(const char *name) { return FieldRegistry::field(QString::fromLatin1(name)); }

private slots:
    void emptyTextEqualsNull()
    {
        QVERIFY(ContactNormalizer::valuesEqual(spec("given_name"), QString(""), QVariant()));
        QVERIFY(!ContactNormalizer::valuesEqual(spec("given_name"), QString(" "), QVariant()));
        QVERIFY(!ContactNormalizer::valuesEqual(spec("given_name"), QString("a"), QString("A")));
    }

    void emails_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("lowercase") << "Ada@Example.COM" << "ada@example.com";
        QTest::newRow("spec §4.3 emoji IDN") << QString::fromUtf8("REST-X@💩。LA.") << "rest-x@xn--ls8h.la";
        QTest::newRow("umlaut domain") << QString::fromUtf8("jörg@Bücher.example") << QString::fromUtf8("jörg@xn--bcher-kva.example");
        QTest::newRow("trailing dot") << "a@b.com." << "a@b.com";
        QTest::newRow("fullwidth dot") << QString::fromUtf8("a@b．com") << "a@b.com";
        QTest::newRow("whitespace") << "  a@b.com " << "a@b.com";
        QTest::newRow("no at sign") << "Not An Email" << "not an email";
        // Found by fuzz_normalizer: normalising must not change its own result (a space behind the trailing dot
        // survived the first pass and not the second).
        QTest::newRow("dot after a space") << "a@b.com \v."
                                           << "a@b.com";
    }
    void emails()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ContactNormalizer::normalizedEmail(input), expected);
        QCOMPARE(ContactNormalizer::normalizedEmail(expected), expected);
    }

    void phones_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("spaces and dashes") << "+44 7911-123 456" << "+447911123456";
        QTest::newRow("trunk zero") << "+44 (0) 79-11 123 456" << "+447911123456";
        QTest::newRow("00 prefix") << "0044 7911 123456" << "+447911123456";
        QTest::newRow("parentheses") << "+1 (415) 555-0100" << "+14155550100";
        QTest::newRow("extension dropped") << "+1 415 555 0100 ext. 12" << "+14155550100";
        QTest::newRow("national kept") << "07911 123456" << "07911123456";
        QTest::newRow("arabic-indic digits") << QString::fromUtf8("+٤٤٧٩١١١٢٣٤٥٦") << "+447911123456";
        QTest::newRow("junk") << "n/a" << "";
    }
    void phones()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ContactNormalizer::normalizedPhone(input), expected);
    }

    void listsDropEmptyEntriesAndKeepOrder()
    {
        const QVariant emails = ContactNormalizer::normalizedValue(
            spec("emails"), QStringList{QStringLiteral("B@x.com"), QString(), QStringLiteral("a@x.com")});
        QCOMPARE(emails.toStringList(), (QStringList{QStringLiteral("b@x.com"), QStringLiteral("a@x.com")}));
        QVERIFY(!ContactNormalizer::valuesEqual(spec("tags"), QStringList{"a", "b"}, QStringList{"b", "a"}));
        QVERIFY(ContactNormalizer::valuesEqual(spec("tags"), QStringList{}, QVariant()));
    }

    void timestampsAtMilliseconds()
    {
        const QDateTime a = ContactNormalizer::parseTimestamp(QStringLiteral("2026-03-02T09:15:27.118734Z"));
        const QDateTime b = ContactNormalizer::parseTimestamp(QStringLiteral("2026-03-02 09:15:27.118+00:00"));
        QVERIFY(a.isValid());
        QCOMPARE(a, b);
        QCOMPARE(ContactNormalizer::timestampText(a), QStringLiteral("2026-03-02T09:15:27.118Z"));
        const QDateTime berlin = ContactNormalizer::parseTimestamp(QStringLiteral("2026-03-02T10:15:27.118+01:00"));
        QCOMPARE(berlin, a);
        QVERIFY(!ContactNormalizer::parseTimestamp(QStringLiteral("not a date")).isValid());
        QVERIFY(!ContactNormalizer::valuesEqual(spec("created_at"), a, a.addMSecs(1)));
    }

    // Never NULL: a NaN taken for NULL would look like no change, or erase a value (ValueValidator refuses them).
    void nanAndInfinityStayThemselves()
    {
        QVERIFY(std::isnan(ContactNormalizer::normalizedValue(spec("relationship_strength"), std::nan("")).toDouble()));
        QCOMPARE(ContactNormalizer::canonicalText(spec("relationship_strength"), INFINITY), QStringLiteral("Infinity"));
        QVERIFY(std::isnan(
            ContactNormalizer::normalizedValue(spec("relationship_strength"), QStringLiteral("NaN")).toDouble()));
        QCOMPARE(ContactNormalizer::canonicalText(spec("relationship_strength"), QStringLiteral("-inf")),
                 QStringLiteral("-Infinity"));
        QVERIFY(!ContactNormalizer::normalizedValue(spec("relationship_strength"), QStringLiteral("strong")).isValid());
        QCOMPARE(ContactNormalizer::canonicalText(spec("relationship_strength"), 0.1 + 0.2), QStringLiteral("0.30000000000000004"));
    }

    void jsonIsCanonical()
    {
        const QVariant a = QStringLiteral(R"({"b": 1, "a": {"y": [1, 2], "x": null}})");
        const QVariant b = QVariant::fromValue(QJsonValue(QJsonObject{
            {QStringLiteral("a"), QJsonObject{{QStringLiteral("x"), QJsonValue::Null}, {QStringLiteral("y"), QJsonArray{1, 2}}}},
            {QStringLiteral("b"), 1.0}}));
        QVERIFY(ContactNormalizer::valuesEqual(spec("llm_summary"), a, b));
        QCOMPARE(ContactNormalizer::canonicalText(spec("llm_summary"), a), QStringLiteral(R"({"a":{"x":null,"y":[1,2]},"b":1})"));
        QVERIFY(!ContactNormalizer::valuesEqual(spec("llm_topics"), QStringLiteral("[1,2]"), QStringLiteral("[2,1]")));
        QVERIFY(ContactNormalizer::valuesEqual(spec("llm_topics"), QStringLiteral("null"), QVariant()));
        // Text that is not JSON survives as a JSON string instead of vanishing.
        QCOMPARE(ContactNormalizer::canonicalText(spec("llm_topics"), QStringLiteral("plain words")), QStringLiteral("\"plain words\""));
    }

    void hashIgnoresLayerOwnFieldsAndNormalisations()
    {
        Contact a = ContactGenerator(7).next();
        Contact b = a;
        b.setValue(field::UpdatedAt, QDateTime::currentDateTimeUtc());
        b.setValue(field::SyncMeta, QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("origin"), QStringLiteral("crm")}})));
        QStringList upper;
        for (const QString &email : a.list(field::Emails))
            upper.append(email.toUpper());
        b.setValue(field::Emails, upper);
        QCOMPARE(ContentHash::of(a), ContentHash::of(b));
        b.setValue(QStringLiteral("job_title"), QStringLiteral("Changed"));
        QVERIFY(ContentHash::of(a) != ContentHash::of(b));
    }

    void hashSeparatesFieldBoundaries()
    {
        Contact a;
        a.setValue(QStringLiteral("given_name"), QStringLiteral("ab"));
        a.setValue(QStringLiteral("family_name"), QStringLiteral("c"));
        Contact b;
        b.setValue(QStringLiteral("given_name"), QStringLiteral("a"));
        b.setValue(QStringLiteral("family_name"), QStringLiteral("bc"));
        QVERIFY(ContentHash::of(a) != ContentHash::of(b));
    }

    void codecRoundTripsHostileContacts()
    {
        const Contact original = test::hostileContact(createUuid7());
        const Contact decoded = ContactCodec::fromJson(ContactCodec::toJson(original));
        QCOMPARE(test::differingFields(original, decoded), QStringList());
        QCOMPARE(ContentHash::of(original), ContentHash::of(decoded));
        QVERIFY(decoded.text(QStringLiteral("notes")).endsWith(QStringLiteral("🙂end")));
        QCOMPARE(decoded.list(field::Emails).first(), QStringLiteral("o'brien+tag@example.com"));
    }

    void uuid7IsVersion7AndTimeOrdered()
    {
        const QDateTime t = QDateTime::currentDateTimeUtc();
        const QString a = createUuid7(t);
        const QString b = createUuid7(t.addMSecs(1));
        QCOMPARE(a.size(), 36);
        QCOMPARE(a.at(14), QLatin1Char('7'));
        QVERIFY(QStringLiteral("89ab").contains(a.at(19)));
        QVERIFY(a < b);
        QVERIFY(createUuid7(t) != createUuid7(t));
    }

    void generatorIsDeterministicAndVaried()
    {
        const QList<Contact> first = ContactGenerator(42).take(50);
        const QList<Contact> second = ContactGenerator(42).take(50);
        QCOMPARE(first.size(), 50);
        QSet<QString> emails;
        for (int i = 0; i < first.size(); ++i) {
            QCOMPARE(test::differingFields(first.at(i), second.at(i)), QStringList());
            emails.insert(first.at(i).list(field::Emails).first());
        }
        QCOMPARE(emails.size(), 50);
    }
};

QTEST_GUILESS_MAIN(TestNormalization)
#include "tst_normalization.moc"
