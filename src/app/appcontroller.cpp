#include "app/appcontroller.h"

#include "app/mainwindow.h"
#include "app/settingsworker.h"
#include "app/statusicon.h"
#include "app/syncworker.h"

#include <QApplication>
#include <QEventLoop>

namespace tf {

AppController::AppController(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_worker(new SyncWorker)
    , m_settingsWorker(new SettingsWorker)
{
    m_thread.setObjectName(QStringLiteral("sync-engine"));
    m_worker->moveToThread(&m_thread);
    m_settingsThread.setObjectName(QStringLiteral("settings"));
    m_settingsWorker->moveToThread(&m_settingsThread);
    connect(&m_settingsThread, &QThread::finished, m_settingsWorker, &QObject::deleteLater);
    m_window = std::make_unique<MainWindow>(m_worker, m_settingsWorker, m_options.configPath);
    m_window->setKeepRunningInTray(m_tray.isShown());

    connect(this, &AppController::openRequested, m_worker, &SyncWorker::open);
    connect(this, &AppController::shutdownRequested, m_worker, &SyncWorker::shutdown);
    connect(this, &AppController::massDeleteConfirmed, m_worker, &SyncWorker::confirmMassDelete);
    connect(m_worker, &SyncWorker::shutDown, this, &AppController::joinWorker);
    connect(m_worker, &SyncWorker::statusChanged, &m_tray, &TrayIcon::setStatus);
    connect(m_worker, &SyncWorker::statusChanged, this, &AppController::notifyAbout);
    connect(m_worker, &SyncWorker::massDeleteBlocked, this, &AppController::askAboutMassDelete);
    connect(m_worker, &SyncWorker::configOpened, m_window.get(), &MainWindow::setConfigPath);
    connect(m_worker, &SyncWorker::configMissing, this, [this] {
        showWindow();
        m_window->openSettings();
    });
    connect(m_window.get(), &MainWindow::configSaved, m_worker, &SyncWorker::reload);
    connect(m_window.get(), &MainWindow::quitRequested, this, &AppController::quit);

    connect(&m_tray, &TrayIcon::syncNowRequested, m_worker, &SyncWorker::syncNow);
    connect(&m_tray, &TrayIcon::pauseRequested, m_worker, &SyncWorker::pause);
    connect(&m_tray, &TrayIcon::resumeRequested, m_worker, &SyncWorker::resume);
    connect(&m_tray, &TrayIcon::openWindowRequested, this, &AppController::showWindow);
    connect(&m_tray, &TrayIcon::quitRequested, this, &AppController::quit);
    connect(&m_tray, &TrayIcon::shown, this, [this] { m_window->setKeepRunningInTray(true); });
}

AppController::~AppController()
{
    if (!m_workerStopped) {
        QEventLoop loop;
        connect(this, &AppController::workerStopped, &loop, &QEventLoop::quit);
        m_worker->requestStop();
        emit shutdownRequested();
        loop.exec();
    }
    delete m_massDelete;
    m_window.reset();
}

void AppController::start()
{
    m_thread.start();
    m_settingsThread.start();
    emit openRequested(m_options.configPath, m_options.demo);
    if (!m_options.minimized)
        showWindow();
}

void AppController::showWindow()
{
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void AppController::quit()
{
    if (m_workerStopped) {
        QApplication::quit();
        return;
    }
    connect(this, &AppController::workerStopped, qApp, &QApplication::quit, Qt::UniqueConnection);
    m_window->hide();
    m_worker->requestStop(); // the cycle in flight finishes its batch, no more
    emit shutdownRequested();
}

void AppController::joinWorker()
{
    if (m_workerStopped)
        return;
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
    m_settingsThread.quit(); // after a connection test in flight, if any
    m_settingsThread.wait();
    m_worker = nullptr;
    m_workerStopped = true;
    emit workerStopped();
}

void AppController::askAboutMassDelete(int deletes, int total)
{
    m_tray.notify(tr("Deletes held back"),
                  tr("A sync would delete %1 of %2 contacts. Nothing was written; confirm in the window.").arg(deletes).arg(total),
                  QSystemTrayIcon::Warning);
    if (m_massDelete)
        return; // already asking: every later cycle stops at the same guard until it is answered
    // A dangerous decision goes to the person with a refusing default: closing the box, Escape, or never answering
    // all mean "no" (STYLE.md).
    m_massDelete = new QMessageBox(QMessageBox::Warning, tr("Delete %1 contacts?").arg(deletes),
                                   tr("The next sync would delete %1 of %2 contacts in every layer.").arg(deletes).arg(total),
                                   QMessageBox::Yes | QMessageBox::No);
    m_massDelete->setInformativeText(tr("Nothing has been written. Choose Yes only if these contacts were deleted on "
                                        "purpose; No keeps them and the sync stays stopped at this point."));
    m_massDelete->setDefaultButton(QMessageBox::No);
    m_massDelete->setEscapeButton(QMessageBox::No);
    m_massDelete->setWindowIcon(StatusIcon::forState(SyncStatus::State::Error));
    m_massDelete->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_massDelete, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Yes)
            emit massDeleteConfirmed();
    });
    m_massDelete->setWindowModality(Qt::ApplicationModal);
    m_massDelete->show();
    m_massDelete->raise();
    m_massDelete->activateWindow();
}

void AppController::notifyAbout(const SyncStatus &status)
{
    for (const QString &problem : status.problems) {
        if (!m_notifiedProblems.contains(problem)) {
            m_tray.notify(tr("Truth Forge Sync"), problem, QSystemTrayIcon::Critical);
            break; // one at a time; the window lists them all
        }
    }
    m_notifiedProblems = status.problems;
}

} // namespace tf
