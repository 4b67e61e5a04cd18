#include "app/trayicon.h"
#include "desktopfixture.h"

#include <QProcess>
#include <QtTest>

using namespace tf;

// At login the app often starts before the panel that hosts the tray: it must keep trying, not give up
// (STYLE.md "Tray and keychain wait for the desktop"). This suite runs on a display without a tray host and starts
// one itself.
class TestTrayLater : public QObject
{
    Q_OBJECT

private slots:
    void theIconAppearsOnceTheTrayHostIsUp()
    {
        QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.startApp();
        TrayIcon *tray = fixture.app().tray();
        QTest::qWait(1500); // a retry or two against the empty panel
        QVERIFY(!tray->isShown());

        QSignalSpy quit(&fixture.window(), &MainWindow::quitRequested);
        QProcess trayer;
        trayer.start(QStringLiteral("trayer"), {QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--align"), QStringLiteral("right")});
        QVERIFY(trayer.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(tray->isShown(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(tray->systemTrayIcon().geometry().isValid(), 30000);

        // Now the tray is there, closing the window keeps the sync running in it.
        fixture.window().close();
        QVERIFY(!fixture.window().isVisible());
        QCOMPARE(quit.size(), 0);
        trayer.terminate();
        trayer.waitForFinished();
    }
};

QTEST_MAIN(TestTrayLater)
#include "tst_traylater.moc"
