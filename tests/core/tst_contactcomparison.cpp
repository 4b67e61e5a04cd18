#include "core/contactcomparison.h"
#include "core/contactgenerator.h"

#include <QtTest>

using namespace tf;

// The diff viewer's rows: what differs is decided here, in the canonical form.
class TestContactComparison : public QObject
{
    Q_OBJECT

    static const ContactComparison::Row &row(const ContactComparison &comparison, const QString &fieldName)
    {
        for (const ContactComparison::Row &entry : comparison.rows) {
            if (entry.field == fieldName)
                return entry;
        }
        qFatal("no row %s", qPrintable(fieldName));
    }

private slots:
    void everyContentFieldIsARow()
    {
        const Contact contact = ContactGenerator(3).next();
        const ContactComparison comparison =
            ContactComparison::of(contact.id(), {Layer::Crm, Layer::Local}, {{Layer::Crm, contact}, {Layer::Local, contact}}, contact);
        int content = 0;
        for (const FieldSpec &spec : FieldRegistry::fields())
            content += spec.isContent() ? 1 : 0;
        QCOMPARE(comparison.rows.size(), content);
        QCOMPARE(comparison.differingRows(), 0);
        QCOMPARE(comparison.holding, (QList<Layer>{Layer::Crm, Layer::Local}));
        QVERIFY(comparison.found());
    }

    void aNormalisedValueIsNoDifference()
    {
        Contact crm = ContactGenerator(3).next();
        Contact local = crm;
        crm.setValue(field::Emails, QStringList{QStringLiteral("Ada@Example.ORG")});
        local.setValue(field::Emails, QStringList{QStringLiteral("ada@example.org")});
        const ContactComparison comparison =
            ContactComparison::of(crm.id(), {Layer::Crm, Layer::Local}, {{Layer::Crm, crm}, {Layer::Local, local}}, std::nullopt);
        QVERIFY(!row(comparison, field::Emails).differs());
        QVERIFY(!row(comparison, field::Emails).base);
    }

    void layersThatDisagreeAndChangesSinceTheSync()
    {
        const Contact base = ContactGenerator(3).next();
        Contact local = base;
        local.setValue(QStringLiteral("job_title"), QStringLiteral("Edited in sqlite3"));
        const ContactComparison comparison =
            ContactComparison::of(base.id(), {Layer::Crm, Layer::Local}, {{Layer::Crm, base}, {Layer::Local, local}}, base);
        const ContactComparison::Row &jobTitle = row(comparison, QStringLiteral("job_title"));
        QVERIFY(jobTitle.layersDisagree);
        QVERIFY(jobTitle.changedSinceSync);
        QCOMPARE(jobTitle.values.value(Layer::Local), QStringLiteral("Edited in sqlite3"));
        QCOMPARE(comparison.differingRows(), 1);

        // One layer alone still shows a change that has not been synced yet.
        const ContactComparison alone = ContactComparison::of(base.id(), {Layer::Local}, {{Layer::Local, local}}, base);
        QVERIFY(!row(alone, QStringLiteral("job_title")).layersDisagree);
        QVERIFY(row(alone, QStringLiteral("job_title")).changedSinceSync);
    }

    void aLayerWithoutTheContactDiffersInTheId()
    {
        const Contact contact = ContactGenerator(3).next();
        const ContactComparison comparison =
            ContactComparison::of(contact.id(), {Layer::Crm, Layer::Local}, {{Layer::Local, contact}}, std::nullopt);
        QVERIFY(row(comparison, field::ContactId).layersDisagree);
        QCOMPARE(comparison.holding, QList<Layer>{Layer::Local});

        const ContactComparison nowhere = ContactComparison::of(QStringLiteral("x"), {Layer::Local}, {}, std::nullopt);
        QVERIFY(!nowhere.found());
    }
};

QTEST_GUILESS_MAIN(TestContactComparison)
#include "tst_contactcomparison.moc"
