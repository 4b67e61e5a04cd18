#pragma once

#include "core/syncstatus.h"

#include <QAction>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QTimer>

namespace tf {

// The app in the tray: an icon per sync state, the menu (Sync now, Pause/Resume, Open window, Quit) and the
// notifications. At login the tray host often starts after the app, so a missing tray is retried on a timer
// rather than given up on (STYLE.md "Tray and keychain wait for the desktop").
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(QObject *parent = nullptr);

    void setStatus(const SyncStatus &status);
    void notify(const QString &title, const QString &text, QSystemTrayIcon::MessageIcon icon);

    SyncStatus::State state() const { return m_state; }
    bool isShown() const { return m_tray.isVisible(); }
    QSystemTrayIcon &systemTrayIcon() { return m_tray; }
    QMenu &menu() { return m_menu; }

signals:
    void syncNowRequested();
    void pauseRequested();
    void resumeRequested();
    void openWindowRequested();
    void quitRequested();
    void shown();

private:
    void showWhenTheHostIsUp();

    QSystemTrayIcon m_tray;
    QMenu m_menu;
    QAction *m_syncNow;
    QAction *m_pause;
    QTimer m_retry;
    SyncStatus::State m_state = SyncStatus::State::Idle;
    bool m_paused = false;
};

} // namespace tf
