#include "app/trayicon.h"

#include "app/statusicon.h"

namespace tf {

namespace {

constexpr int kFirstRetryMs = 1000;
constexpr int kLongestRetryMs = 30000;

} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
{
    m_syncNow = m_menu.addAction(tr("Sync now"), this, &TrayIcon::syncNowRequested);
    m_pause = m_menu.addAction(tr("Pause"), this, [this] {
        if (m_paused)
            emit resumeRequested();
        else
            emit pauseRequested();
    });
    m_menu.addAction(tr("Open window"), this, &TrayIcon::openWindowRequested);
    m_menu.addSeparator();
    m_menu.addAction(tr("Quit"), this, &TrayIcon::quitRequested);
    m_syncNow->setObjectName(QStringLiteral("traySyncNow"));
    m_pause->setObjectName(QStringLiteral("trayPause"));
    m_tray.setContextMenu(&m_menu);
    m_tray.setIcon(StatusIcon::forState(m_state));
    m_tray.setToolTip(tr("Truth Forge Sync"));
    connect(&m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit openWindowRequested();
    });

    m_retry.setSingleShot(true);
    m_retry.setInterval(kFirstRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &TrayIcon::showWhenTheHostIsUp);
    showWhenTheHostIsUp();
}

void TrayIcon::showWhenTheHostIsUp()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        // Back off gently: the host may come up any second at login, or only when the person starts a panel.
        m_retry.start();
        m_retry.setInterval(std::min(m_retry.interval() * 2, kLongestRetryMs));
        return;
    }
    m_tray.show();
    emit shown();
}

void TrayIcon::setStatus(const SyncStatus &status)
{
    m_state = status.state;
    m_paused = status.paused;
    m_tray.setIcon(StatusIcon::forState(status.state));
    m_tray.setToolTip(tr("Truth Forge Sync: %1").arg(status.summary()));
    m_pause->setText(m_paused ? tr("Resume") : tr("Pause"));
}

void TrayIcon::notify(const QString &title, const QString &text, QSystemTrayIcon::MessageIcon icon)
{
    if (m_tray.isVisible())
        m_tray.showMessage(title, text, icon, 10000);
}

} // namespace tf
