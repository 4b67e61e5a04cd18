#pragma once

#include "core/cyclereport.h"
#include "core/statedatabase.h"
#include "core/syncstatus.h"

#include <QMainWindow>
#include <QPointer>
#include <memory>

namespace Ui {
class MainWindow;
}

namespace tf {

class ActivityLog;
class ConflictsDialog;
class ContactDiffDialog;
class SafetyCheckDialog;
class SettingsDialog;
class SettingsWorker;
class SyncWorker;
class ThroughputChart;

// The window: per-layer status, live activity, the journal and the throughput of the last cycles, with the actions
// a person takes. It renders what the worker reports and asks the worker for everything else.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(SyncWorker *worker, SettingsWorker *settingsWorker, QString configPath, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Closing the window only hides it while the tray icon is there to bring it back.
    void setKeepRunningInTray(bool keep) { m_keepRunningInTray = keep; }
    const SyncStatus &status() const { return m_status; }
    void setConfigPath(const QString &configPath) { m_configPath = configPath; }

    ActivityLog *activityLog() const;
    ThroughputChart *throughputChart() const;
    SettingsDialog *openSettings();
    SafetyCheckDialog *openSafetyCheck();
    ConflictsDialog *openConflicts();
    ContactDiffDialog *openContactDiff(const QString &contactId = {});

signals:
    void syncNowRequested();
    void pauseRequested();
    void resumeRequested();
    void provisionRequested();
    void historyRequested(const QString &contactId);
    void configSaved(const QString &configPath);
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setStatus(const SyncStatus &status);
    void fitLayerTable();
    void showHistory(const QString &contactId, const QList<tf::JournalEntry> &entries);
    void cycleFinished(const CycleReport &report);

    std::unique_ptr<Ui::MainWindow> m_ui;
    SyncWorker *m_worker;
    SettingsWorker *m_settingsWorker;
    QString m_configPath;
    SyncStatus m_status;
    bool m_keepRunningInTray = false;
    QPointer<SettingsDialog> m_settings;
    QPointer<SafetyCheckDialog> m_safety;
    QPointer<ConflictsDialog> m_conflicts;
    QPointer<ContactDiffDialog> m_diff;
};

} // namespace tf
