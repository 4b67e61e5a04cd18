#include "core/fieldregistry.h"

#include <QFile>
#include <QtTest>

using namespace tf;

// The registry must say exactly what the contract file says: a field added to one and not the other fails here.
class TestFieldRegistry : public QObject
{
    Q_OBJECT

    static QList<QStringList> readContract(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        QList<QStringList> rows;
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (!lines.at(i).trimmed().isEmpty())
                rows.append(QString::fromUtf8(lines.at(i)).split(QLatin1Char('\t')));
        }
        return rows;
    }

    static void compareWith(const QString &path)
    {
        const QList<QStringList> rows = readContract(path);
        QVERIFY2(!rows.isEmpty(), qPrintable(QStringLiteral("cannot read %1").arg(path)));
        QCOMPARE(FieldRegistry::count(), rows.size());
        for (int i = 0; i < rows.size(); ++i) {
            const QStringList &row = rows.at(i);
            QCOMPARE(row.size(), 7);
            const FieldSpec &spec = FieldRegistry::fields().at(i);
            QCOMPARE(spec.name, row.at(0));
            QCOMPARE(spec.category, row.at(1));
            QCOMPARE(spec.bigqueryType, row.at(2));
            QCOMPARE(spec.postgresType, row.at(3));
            QCOMPARE(spec.sqliteType, row.at(4));
            QCOMPARE(spec.twenty, row.at(5));
            QCOMPARE(spec.notes, row.at(6));
        }
    }

private slots:
    void matchesTheContractShippedInTheRepository()
    {
        compareWith(qEnvironmentVariable("TF_SOURCE_DIR") + QStringLiteral("/resources/contract/contact-fields.tsv"));
    }

    void matchesTheSharedContractWhenPresent()
    {
        const QString shared = qEnvironmentVariable("TF_SOURCE_DIR") + QStringLiteral("/../shared/contract/contact-fields.tsv");
        if (!QFile::exists(shared))
            QSKIP("no ../shared beside this checkout");
        compareWith(shared);
    }

    void kindsFollowThePostgresTypes()
    {
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            const QString pg = spec.postgresType.section(QLatin1Char(' '), 0, 0);
            FieldKind expected = FieldKind::Text;
            if (pg == QLatin1String("double"))
                expected = FieldKind::Float;
            else if (pg == QLatin1String("text[]"))
                expected = FieldKind::StringList;
            else if (pg == QLatin1String("timestamptz"))
                expected = FieldKind::Timestamp;
            else if (pg == QLatin1String("jsonb"))
                expected = FieldKind::Json;
            QVERIFY2(spec.kind == expected, qPrintable(spec.name));
        }
    }

    void thirtyOneFieldsWithLookups()
    {
        QCOMPARE(FieldRegistry::count(), 31);
        QCOMPARE(FieldRegistry::indexOf(QStringLiteral("contact_id")), 0);
        QCOMPARE(FieldRegistry::indexOf(QStringLiteral("deleted_at")), 30);
        QCOMPARE(FieldRegistry::indexOf(QStringLiteral("no_such_field")), -1);
        QVERIFY(FieldRegistry::find(QStringLiteral("emails")));
    }

    void parsesTwentyMappings()
    {
        const TwentyMapping id = FieldRegistry::field(QStringLiteral("contact_id")).twentyMapping();
        QVERIFY(id.custom);
        QCOMPARE(id.customType, QStringLiteral("TEXT"));
        QCOMPARE(id.name, QStringLiteral("tfContactId"));
        QVERIFY(id.unique);
        const TwentyMapping strength = FieldRegistry::field(QStringLiteral("relationship_strength")).twentyMapping();
        QCOMPARE(strength.customType, QStringLiteral("NUMBER"));
        QVERIFY(!strength.unique);
        const TwentyMapping given = FieldRegistry::field(QStringLiteral("given_name")).twentyMapping();
        QVERIFY(!given.custom);
        QCOMPARE(given.name, QStringLiteral("name.firstName"));
        QCOMPARE(FieldRegistry::field(QStringLiteral("organization")).twentyMapping().name, QStringLiteral("companyId"));
    }

    void bigqueryModes()
    {
        QCOMPARE(FieldRegistry::field(QStringLiteral("contact_id")).bigqueryMode(), QStringLiteral("REQUIRED"));
        QCOMPARE(FieldRegistry::field(QStringLiteral("tags")).bigqueryMode(), QStringLiteral("REPEATED"));
        QCOMPARE(FieldRegistry::field(QStringLiteral("tags")).bigqueryBaseType(), QStringLiteral("STRING"));
        QCOMPARE(FieldRegistry::field(QStringLiteral("notes")).bigqueryMode(), QStringLiteral("NULLABLE"));
    }
};

QTEST_GUILESS_MAIN(TestFieldRegistry)
#include "tst_fieldregistry.moc"
