#include "desktopfixture.h"

#include "connectors/sqlite/sqliteconnector.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QToolBar>
#include <QtTest>

int rowOf(QTableWidget *table, const QString &firstColumn)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0) && table->item(row, 0)->text() == firstColumn)
            return row;
    }
    return -1;
}

int columnOf(QTableWidget *table, const QString &header)
{
    for (int column = 0; column < table->columnCount(); ++column) {
        if (table->horizontalHeaderItem(column)->text() == header)
            return column;
    }
    return -1;
}

DesktopFixture::DesktopFixture()
{
    QVERIFY(m_dir.isValid());
}

void DesktopFixture::writeConfig(const QString &extra) const
{
    QFile file(configPath());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QStringLiteral("[local]\npath=%1\n\n[sync]\nstate_path=%2\ninterval_s=3600\n\n%3")
                   .arg(localPath(), statePath(), extra)
                   .toUtf8());
}

void DesktopFixture::provisionLocal() const
{
    tf::SqliteConnector(tf::LocalSettings{localPath()}).provision();
}

QString DesktopFixture::sqlite(const QString &database, const QString &sql) const
{
    QProcess shell;
    shell.start(QStringLiteral("sqlite3"), {QStringLiteral("-batch"), database, sql});
    [&] {
        QVERIFY2(shell.waitForFinished(30000), "sqlite3 did not finish");
        QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());
    }();
    return QString::fromUtf8(shell.readAllStandardOutput()).trimmed();
}

void DesktopFixture::insertContacts(int first, int count) const
{
    QStringList rows;
    for (int i = first; i < first + count; ++i) {
        rows << QStringLiteral("('c-%1', 'Person %1', 'Person', 'Number %1', 'Engineer', 'Acme %1', '[\"person%1@example.org\"]')")
                    .arg(i, 3, 10, QLatin1Char('0'));
    }
    sqlite(localPath(), QStringLiteral("INSERT INTO contacts (contact_id, full_name, given_name, family_name, job_title, "
                                       "organization, emails) VALUES %1;")
                            .arg(rows.join(QStringLiteral(", "))));
}

tf::AppController &DesktopFixture::startApp(bool showWindow)
{
    tf::AppController::Options options;
    options.configPath = configPath();
    options.minimized = !showWindow;
    m_app = std::make_unique<tf::AppController>(options);
    m_app->start();
    if (showWindow)
        [&] { QVERIFY(QTest::qWaitForWindowExposed(m_app->window())); }();
    return *m_app;
}

QAction *DesktopFixture::action(const char *name)
{
    auto *found = window().findChild<QAction *>(QLatin1String(name));
    [&] { QVERIFY2(found, name); }();
    return found;
}

void DesktopFixture::clickToolbar(const char *actionName)
{
    QWidget *button = window().findChild<QToolBar *>(QStringLiteral("toolBar"))->widgetForAction(action(actionName));
    [&] {
        QVERIFY2(button && button->isVisible(), actionName);
        QVERIFY2(button->isEnabled(), actionName);
    }();
    QTest::mouseClick(button, Qt::LeftButton);
}

QString DesktopFixture::screenshot(QWidget *widget, const QString &name) const
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest); // what a repaint would show, not a stale layout
    return screenshot(widget->grab(), name);
}

QString DesktopFixture::screenshot(const QPixmap &pixmap, const QString &name) const
{
    const QString file = m_dir.filePath(name + QStringLiteral(".png"));
    [&] { QVERIFY2(!pixmap.isNull() && pixmap.save(file), qPrintable(file)); }();
    const QString gallery = qEnvironmentVariable("TF_SCREENSHOT_DIR");
    if (!gallery.isEmpty() && QDir().mkpath(gallery)) {
        const QString copy = QDir(gallery).filePath(name + QStringLiteral(".png"));
        QFile::remove(copy);
        QFile::copy(file, copy);
    }
    return file;
}
