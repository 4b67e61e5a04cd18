#include "app/activitylog.h"
#include "app/contactdiffdialog.h"
#include "app/syncworker.h"
#include "app/throughputchart.h"
#include "desktopfixture.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTableWidget>
#include <QtTest>

using namespace tf;

namespace {

constexpr int kTimeoutMs = 120000;

} // namespace

// `truthforge-sync --demo`: the stand-ins for BigQuery and Twenty, a throwaway PostgreSQL and a SQLite file, seeded
// with 200 contacts, synced through all four layers with the window and the tray showing it.
class TestDemo : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Under load the private desktop's tray host (with-desktop.sh) may take its selection after we start.
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), kTimeoutMs);
    }

    void theDemoSyncsFourLayersAndTheDiffRepairsAnEdit()
    {
        DesktopFixture fixture; // only for screenshots and the sqlite3 shell
        AppController::Options options;
        options.demo = true;
        AppController app(options);
        QSignalSpy opened(app.worker(), &SyncWorker::configOpened);
        app.start();
        MainWindow &window = *app.window();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTRY_VERIFY_WITH_TIMEOUT(window.status().contacts == 200 && window.status().state == SyncStatus::State::Idle, kTimeoutMs);
        for (const LayerStatus &layer : window.status().layers) {
            QVERIFY2(layer.configured, qPrintable(layerName(layer.layer)));
            QVERIFY2(layer.error.isEmpty(), qPrintable(layer.error));
        }
        QVERIFY(window.status().totalSynced >= 600); // 200 contacts into crm, supabase and local at least
        int writes = 0;
        for (int row = 0; row < window.activityLog()->count(); ++row)
            writes += window.activityLog()->item(row)->data(Qt::UserRole).toInt() == int(ActivityLog::Kind::Write) ? 1 : 0;
        QVERIFY(writes >= 600);
        QVERIFY(window.throughputChart()->cycleCount() >= 1);
        fixture.screenshot(&window, QStringLiteral("demo-mainwindow"));
        window.findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentIndex(2);
        fixture.screenshot(&window, QStringLiteral("demo-throughput"));
        window.findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentIndex(0);

        // Someone edits one contact in the local file; the person compares it across the layers and takes the
        // CRM's value back.
        QCOMPARE(opened.size(), 1);
        const SyncConfig config = SyncConfig::load(opened.first().first().toString());
        QVERIFY(config.local);
        window.findChild<QAction *>(QStringLiteral("actionPause"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.status().paused, kTimeoutMs);
        const QString id = fixture.sqlite(config.local->path, QStringLiteral("SELECT contact_id FROM contacts WHERE deleted_at IS NULL ORDER BY contact_id LIMIT 1;"));
        QVERIFY(!id.isEmpty());
        fixture.sqlite(config.local->path, QStringLiteral("UPDATE contacts SET job_title = 'Typo from a script' WHERE contact_id = '%1';").arg(id));

        ContactDiffDialog *dialog = window.openContactDiff(id);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->comparison().contactId, id, kTimeoutMs);
        QCOMPARE(dialog->comparison().holding.size(), 4);
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("fieldTable"));
        const int jobTitle = rowOf(table, QStringLiteral("job_title"));
        const int crm = columnOf(table, QStringLiteral("crm"));
        const int local = columnOf(table, QStringLiteral("local"));
        QCOMPARE(table->item(jobTitle, local)->text(), QStringLiteral("Typo from a script"));
        QCOMPARE(table->item(jobTitle, local)->background().color(), ContactDiffDialog::kDisagree);
        QCOMPARE(dialog->comparison().differingRows(), 1);
        const QString right = table->item(jobTitle, crm)->text();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualItemRect(table->item(jobTitle, crm)).center());
        QCOMPARE(dialog->choices().value(QStringLiteral("job_title")), Layer::Crm);
        fixture.screenshot(dialog, QStringLiteral("demo-contact-diff"));

        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->summary().contains(QLatin1String("written to local (1)")), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->comparison().differingRows(), 0, kTimeoutMs);
        const QString stored = fixture.sqlite(config.local->path, QStringLiteral("SELECT coalesce(job_title, '') FROM contacts WHERE contact_id = '%1';").arg(id));
        QCOMPARE(stored, right == QStringLiteral("∅") ? QString() : right);
        fixture.screenshot(dialog, QStringLiteral("demo-contact-diff-applied"));

        // The history tab, filtered by the contact, shows the person's choice and the write it caused.
        dialog->close();
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("historyFilter"));
        auto *history = window.findChild<QTableWidget *>(QStringLiteral("historyTable"));
        tabs->setCurrentIndex(1);
        QTest::keyClicks(filter, id);
        QTest::keyClick(filter, Qt::Key_Return);
        const auto operations = [&] {
            QStringList seen;
            for (int row = 0; row < history->rowCount(); ++row) {
                if (history->item(row, 4)->text() != id)
                    return QStringList{QStringLiteral("a row of another contact")};
                seen << history->item(row, 2)->text() + QLatin1Char(' ') + history->item(row, 3)->text();
            }
            return seen;
        };
        QTRY_VERIFY_WITH_TIMEOUT(operations().contains(QStringLiteral("crm choice")), kTimeoutMs);
        QVERIFY2(operations().contains(QStringLiteral("local upsert")), qPrintable(operations().join(", ")));
        QVERIFY(!operations().contains(QStringLiteral("a row of another contact")));
        fixture.screenshot(&window, QStringLiteral("demo-history"));
    }
};

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
