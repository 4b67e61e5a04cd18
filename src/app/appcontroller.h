#pragma once

#include "app/trayicon.h"

#include <QMessageBox>
#include <QPointer>
#include <QThread>
#include <memory>

namespace tf {

class MainWindow;
class SettingsWorker;
class SyncWorker;

// The desktop program as a whole: the worker thread with the engine, the window and the tray, wired together;
// it asks the person about mass deletes and turns new problems into notifications.
class AppController : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QString configPath;
        bool demo = false;
        bool minimized = false; // start in the tray (login autostart)
    };

    explicit AppController(Options options, QObject *parent = nullptr);
    ~AppController() override; // stops the worker between cycles and joins its thread

    void start();
    MainWindow *window() const { return m_window.get(); }
    TrayIcon *tray() { return &m_tray; }
    SyncWorker *worker() const { return m_worker; }
    QMessageBox *massDeleteQuestion() const { return m_massDelete; }

public slots:
    void quit();
    void showWindow();

signals:
    void openRequested(const QString &configPath, bool demo);
    void shutdownRequested();
    void massDeleteConfirmed();
    void workerStopped();

private:
    void askAboutMassDelete(int deletes, int total);
    void notifyAbout(const SyncStatus &status);
    void joinWorker();

    Options m_options;
    QThread m_thread;
    SyncWorker *m_worker; // lives in m_thread, deleted once it has stopped
    QThread m_settingsThread;
    SettingsWorker *m_settingsWorker; // lives in m_settingsThread
    std::unique_ptr<MainWindow> m_window;
    TrayIcon m_tray;
    QPointer<QMessageBox> m_massDelete;
    QStringList m_notifiedProblems;
    bool m_workerStopped = false;
};

} // namespace tf
