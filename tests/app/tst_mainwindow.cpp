#include "app/activitylog.h"
#include "app/statusicon.h"
#include "app/syncworker.h"
#include "app/throughputchart.h"
#include "app/trayicon.h"
#include "desktopfixture.h"

#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QScreen>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTableWidget>
#include <QtTest>

using namespace tf;

namespace {

constexpr int kTimeoutMs = 30000;

QStringList activityLines(MainWindow &window)
{
    QStringList lines;
    for (int row = 0; row < window.activityLog()->count(); ++row)
        lines << window.activityLog()->item(row)->text();
    return lines;
}

bool activityContains(MainWindow &window, const QString &text)
{
    return activityLines(window).join(QLatin1Char('\n')).contains(text);
}

QString summaryText(MainWindow &window)
{
    return window.findChild<QLabel *>(QStringLiteral("statusSummary"))->text();
}

QString layerCell(MainWindow &window, Layer layer, int column)
{
    const QTableWidgetItem *item = window.findChild<QTableWidget *>(QStringLiteral("layerTable"))->item(int(layer), column);
    return item ? item->text() : QString();
}

QImage iconImage(const QIcon &icon)
{
    return icon.pixmap(22, 22).toImage().convertToFormat(QImage::Format_ARGB32);
}

// Qt draws the notification itself next to an XEmbed tray icon (no notification daemon in the private session).
bool notificationShown(const QString &text)
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (widget->isVisible() && QLatin1String(widget->metaObject()->className()) == QLatin1String("QBalloonTip")) {
            for (const QLabel *label : widget->findChildren<QLabel *>()) {
                if (label->text().contains(text))
                    return true;
            }
        }
    }
    return false;
}

} // namespace

// The main window and the tray, driven as a person would: on a config whose only layer is a real SQLite file.
class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        // Under load the private desktop's tray host (with-desktop.sh) may take its selection after we start.
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), kTimeoutMs);
    }

    void theTrayHostIsThereAndTheIconShows()
    {
        QVERIFY(QSystemTrayIcon::isSystemTrayAvailable());
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 3);
        fixture.startApp(false); // --minimized: the tray alone
        TrayIcon *tray = fixture.app().tray();
        QTRY_VERIFY_WITH_TIMEOUT(tray->isShown(), kTimeoutMs);
        QVERIFY(!fixture.window().isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(tray->state(), SyncStatus::State::Idle, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(tray->systemTrayIcon().toolTip().contains(QLatin1String("3 contacts")), kTimeoutMs);
        const QRect geometry = tray->systemTrayIcon().geometry();
        QVERIFY2(geometry.isValid() && !geometry.isEmpty(), "the tray host did not embed the icon");
        // A wake-up may start another cycle under load; the icon must come back to Idle with the state.
        QTRY_COMPARE_WITH_TIMEOUT(iconImage(tray->systemTrayIcon().icon()),
                                  iconImage(StatusIcon::forState(SyncStatus::State::Idle)), kTimeoutMs);

        const QStringList menu = [&] {
            QStringList texts;
            for (QAction *action : tray->menu().actions()) {
                if (!action->isSeparator())
                    texts << action->text();
            }
            return texts;
        }();
        QCOMPARE(menu, (QStringList{QStringLiteral("Sync now"), QStringLiteral("Pause"), QStringLiteral("Open window"), QStringLiteral("Quit")}));

        // The panel of the tray host with our icon in it, enlarged to be seen.
        QScreen *screen = QGuiApplication::primaryScreen();
        const QRect panel = geometry.adjusted(-120, -4, 8, 4).intersected(screen->geometry());
        QTest::qWait(200); // let the tray host repaint the embedded icon before the grab
        const QPixmap shot = screen->grabWindow(0, panel.x(), panel.y(), panel.width(), panel.height());
        fixture.screenshot(shot.scaled(shot.size() * 4, Qt::KeepAspectRatio, Qt::FastTransformation), QStringLiteral("tray"));

        // "Open window" from the tray menu.
        tray->menu().actions().at(2)->trigger();
        QVERIFY(QTest::qWaitForWindowExposed(&fixture.window()));
    }

    void anUnprovisionedFileIsShownAndProvisioningFixesIt()
    {
        DesktopFixture fixture;
        fixture.writeConfig(); // the SQLite file does not exist yet
        fixture.startApp();
        MainWindow &window = fixture.window();
        QTRY_COMPARE_WITH_TIMEOUT(window.status().state, SyncStatus::State::Error, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(summaryText(window).contains(QLatin1String("no table contacts")), kTimeoutMs);
        QVERIFY2(summaryText(window).contains(QLatin1String("UNSAFE")), qPrintable(summaryText(window)));
        QCOMPARE(fixture.app().tray()->state(), SyncStatus::State::Error);
        QTRY_VERIFY_WITH_TIMEOUT(notificationShown(QStringLiteral("no table contacts")), kTimeoutMs);

        fixture.action("actionProvision")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(activityContains(window, QStringLiteral("every configured layer is provisioned")), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window.status().state, SyncStatus::State::Idle, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(activityContains(window, QStringLiteral("finished: 0 contacts processed")), kTimeoutMs);
        QVERIFY(fixture.sqlite(fixture.localPath(), QStringLiteral(".tables")).contains(QLatin1String("contacts_changelog")));
    }

    void aLayerThatCannotBeBuiltIsShownNotFatal()
    {
        qunsetenv("TF_TWENTY_API_KEY");
        DesktopFixture fixture;
        fixture.writeConfig(QStringLiteral("[crm]\nurl=http://127.0.0.1:9\n"));
        fixture.provisionLocal();
        fixture.startApp();
        MainWindow &window = fixture.window();
        QTRY_VERIFY_WITH_TIMEOUT(layerCell(window, Layer::Crm, 5).contains(QLatin1String("no API key")), kTimeoutMs);
        QCOMPARE(layerCell(window, Layer::Crm, 1), QStringLiteral("yes"));
        QCOMPARE(layerCell(window, Layer::Local, 5), QString());
        QCOMPARE(window.status().state, SyncStatus::State::Error);
        QVERIFY(summaryText(window).contains(QLatin1String("crm: no API key")));
        QCOMPARE(fixture.app().tray()->state(), SyncStatus::State::Error);
        fixture.screenshot(&window, QStringLiteral("mainwindow-layer-error"));
    }

    void syncNowUpdatesActivityStatusAndChart()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 5);
        fixture.startApp();
        MainWindow &window = fixture.window();
        // The first cycle runs on its own once the safety check passed.
        QTRY_COMPARE_WITH_TIMEOUT(window.status().contacts, 5, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window.status().state, SyncStatus::State::Idle, kTimeoutMs);
        QVERIFY(window.status().lastSyncTime.isValid());
        QCOMPARE(layerCell(window, Layer::Local, 1), QStringLiteral("yes"));
        QCOMPARE(layerCell(window, Layer::BigQuery, 1), QStringLiteral("no"));
        QVERIFY(layerCell(window, Layer::Local, 4).startsWith(QLatin1String("log:")));

        fixture.action("actionPause")->trigger(); // so the file watcher's wake-up does not beat the button
        QTRY_VERIFY_WITH_TIMEOUT(window.status().paused, kTimeoutMs);
        fixture.insertContacts(6, 2);
        const int cyclesBefore = window.throughputChart()->cycleCount();
        QSignalSpy statuses(fixture.app().worker(), &SyncWorker::statusChanged);
        fixture.clickToolbar("actionSyncNow");
        QTRY_COMPARE_WITH_TIMEOUT(window.status().contacts, 7, kTimeoutMs);
        QVERIFY(!window.status().paused); // "Sync now" resumes a paused sync
        QTRY_VERIFY_WITH_TIMEOUT(activityContains(window, QStringLiteral("finished: 2 contacts processed; local read 2 wrote 0")), kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(summaryText(window).startsWith(QStringLiteral("In sync — 7 contacts, last sync ")), qPrintable(summaryText(window)), kTimeoutMs);
        QVERIFY(window.throughputChart()->cycleCount() > cyclesBefore);
        const bool sawSyncing = std::any_of(statuses.cbegin(), statuses.cend(), [](const QList<QVariant> &arguments) {
            return arguments.first().value<SyncStatus>().state == SyncStatus::State::Syncing;
        });
        QVERIFY(sawSyncing); // the tray showed the syncing icon while the cycle ran
        QVERIFY(iconImage(StatusIcon::forState(SyncStatus::State::Syncing)) != iconImage(StatusIcon::forState(SyncStatus::State::Idle)));

        // The history tab shows the journal, filtered by contact.
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        tabs->setCurrentIndex(1);
        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("historyFilter"));
        QTest::keyClicks(filter, QStringLiteral("c-006"));
        QTest::keyClick(filter, Qt::Key_Return);
        tabs->setCurrentIndex(0);
        fixture.screenshot(&window, QStringLiteral("mainwindow"));
        tabs->setCurrentIndex(2);
        fixture.screenshot(&window, QStringLiteral("mainwindow-throughput"));
    }

    void pauseAndResumeChangeTheTrayIcon()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 2);
        fixture.startApp();
        TrayIcon *tray = fixture.app().tray();
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().contacts, 2, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(tray->state(), SyncStatus::State::Idle, kTimeoutMs);

        fixture.clickToolbar("actionPause");
        QTRY_COMPARE_WITH_TIMEOUT(tray->state(), SyncStatus::State::Paused, kTimeoutMs);
        QCOMPARE(iconImage(tray->systemTrayIcon().icon()), iconImage(StatusIcon::forState(SyncStatus::State::Paused)));
        QVERIFY(tray->systemTrayIcon().toolTip().contains(QLatin1String("Paused")));
        QCOMPARE(fixture.action("actionPause")->text(), QStringLiteral("Resume"));
        QCOMPARE(tray->menu().actions().at(1)->text(), QStringLiteral("Resume"));
        QVERIFY(iconImage(StatusIcon::forState(SyncStatus::State::Paused)) != iconImage(StatusIcon::forState(SyncStatus::State::Idle)));

        // A paused sync ignores outside edits until it resumes.
        fixture.insertContacts(3, 1);
        QTest::qWait(1500); // longer than the file watcher's debounce; nothing may happen
        QCOMPARE(fixture.window().status().contacts, 2);

        tray->menu().actions().at(1)->trigger(); // "Resume" from the tray menu
        QTRY_COMPARE_WITH_TIMEOUT(tray->state(), SyncStatus::State::Idle, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().contacts, 3, kTimeoutMs);
        // A wake-up may start another cycle under load; the icon must come back to Idle with the state.
        QTRY_COMPARE_WITH_TIMEOUT(iconImage(tray->systemTrayIcon().icon()),
                                  iconImage(StatusIcon::forState(SyncStatus::State::Idle)), kTimeoutMs);
        QCOMPARE(fixture.action("actionPause")->text(), QStringLiteral("Pause"));
    }

    void aMassDeleteWaitsForAYes()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 10);
        fixture.startApp();
        MainWindow &window = fixture.window();
        QTRY_COMPARE_WITH_TIMEOUT(window.status().contacts, 10, kTimeoutMs);

        fixture.sqlite(fixture.localPath(), QStringLiteral("DELETE FROM contacts WHERE contact_id <= 'c-005';"));
        fixture.clickToolbar("actionSyncNow");
        QTRY_VERIFY_WITH_TIMEOUT(fixture.app().massDeleteQuestion() && fixture.app().massDeleteQuestion()->isVisible(), kTimeoutMs);
        QMessageBox *question = fixture.app().massDeleteQuestion();
        QCOMPARE(static_cast<QAbstractButton *>(question->defaultButton()), question->button(QMessageBox::No));
        QVERIFY(question->text().contains(QLatin1String("5 of 10")));
        // The question comes with the guard's signal; the status follows when the cycle has finished.
        QTRY_COMPARE_WITH_TIMEOUT(window.status().state, SyncStatus::State::Error, kTimeoutMs);
        QVERIFY(summaryText(window).contains(QLatin1String("mass-delete guard")));
        fixture.screenshot(question, QStringLiteral("mass-delete-question"));

        // Escape is a "no": nothing is deleted, the guard keeps holding.
        QTest::keyClick(question, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!fixture.app().massDeleteQuestion(), kTimeoutMs);
        QTest::qWait(500);
        const QString deletedInBase = QStringLiteral("SELECT count(*) FROM base_snapshot WHERE json_extract(snapshot, '$.deleted_at') IS NOT NULL;");
        QCOMPARE(fixture.sqlite(fixture.statePath(), deletedInBase), QStringLiteral("0"));
        QCOMPARE(window.status().state, SyncStatus::State::Error);

        // Asked again, the person says yes: the cycle runs once with the deletes allowed.
        fixture.clickToolbar("actionSyncNow");
        QTRY_VERIFY_WITH_TIMEOUT(fixture.app().massDeleteQuestion() && fixture.app().massDeleteQuestion()->isVisible(), kTimeoutMs);
        QTest::mouseClick(fixture.app().massDeleteQuestion()->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.status().state, SyncStatus::State::Idle, kTimeoutMs);
        QVERIFY(window.status().problems.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(activityContains(window, QStringLiteral("finished: 5 contacts processed")), kTimeoutMs);
        QCOMPARE(fixture.sqlite(fixture.statePath(), deletedInBase), QStringLiteral("5"));
    }

    void closingTheWindowKeepsTheSyncInTheTray()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.startApp();
        TrayIcon *tray = fixture.app().tray();
        QTRY_VERIFY_WITH_TIMEOUT(tray->isShown(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(tray->state(), SyncStatus::State::Idle, kTimeoutMs);
        fixture.window().close();
        QVERIFY(!fixture.window().isVisible());
        QVERIFY(tray->isShown());
        fixture.insertContacts(1, 4);
        tray->menu().actions().at(0)->trigger(); // "Sync now" from the tray
        QTRY_VERIFY_WITH_TIMEOUT(tray->systemTrayIcon().toolTip().contains(QLatin1String("4 contacts")), kTimeoutMs);
        tray->menu().actions().at(2)->trigger(); // "Open window"
        QVERIFY(QTest::qWaitForWindowExposed(&fixture.window()));
        QCOMPARE(fixture.window().status().contacts, 4);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
