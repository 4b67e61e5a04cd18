#pragma once

#include "app/appcontroller.h"
#include "app/mainwindow.h"

#include <QAction>
#include <QTableWidget>
#include <QTemporaryDir>
#include <memory>

// The row whose first cell reads `firstColumn`, the column under `header`; -1 when there is none.
int rowOf(QTableWidget *table, const QString &firstColumn);
int columnOf(QTableWidget *table, const QString &header);

// What every GUI suite stands on: a temporary directory with a config whose only layer is a real SQLite file, the
// sqlite3 shell to edit it from outside (as a person or another program would), the app itself, and screenshots.
class DesktopFixture
{
public:
    DesktopFixture();

    QString configPath() const { return m_dir.filePath(QStringLiteral("sync.ini")); }
    QString localPath() const { return m_dir.filePath(QStringLiteral("contacts.sqlite")); }
    QString statePath() const { return m_dir.filePath(QStringLiteral("state.sqlite")); }
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // [local] only, unless `extra` adds sections (INI text).
    void writeConfig(const QString &extra = {}) const;
    // Creates the contacts table, triggers and change log, as `tfsync provision` does.
    void provisionLocal() const;
    // Runs SQL with the sqlite3 shell; fails the test with the shell's error.
    QString sqlite(const QString &database, const QString &sql) const;
    void insertContacts(int first, int count) const;

    tf::AppController &startApp(bool showWindow = true);
    tf::AppController &app() { return *m_app; }
    tf::MainWindow &window() { return *m_app->window(); }
    QAction *action(const char *name);
    void clickToolbar(const char *actionName);
    void stopApp() { m_app.reset(); }

    // Saves the widget as a PNG in the test's directory and, when $TF_SCREENSHOT_DIR is set, in that gallery too.
    QString screenshot(QWidget *widget, const QString &name) const;
    QString screenshot(const QPixmap &pixmap, const QString &name) const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<tf::AppController> m_app;
};
