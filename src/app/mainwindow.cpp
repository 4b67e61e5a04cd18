#include "app/mainwindow.h"

#include "app/conflictsdialog.h"
#include "app/contactdiffdialog.h"
#include "app/safetycheckdialog.h"
#include "app/settingsdialog.h"
#include "app/statusicon.h"
#include "app/syncworker.h"
#include "ui_mainwindow.h"

#include <QCloseEvent>
#include <QHeaderView>

namespace tf {

namespace {

constexpr int kWatermarkWidth = 220;

QTableWidgetItem *cell(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(text);
    return item;
}

} // namespace

MainWindow::MainWindow(SyncWorker *worker, SettingsWorker *settingsWorker, QString configPath, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_worker(worker)
    , m_settingsWorker(settingsWorker)
    , m_configPath(std::move(configPath))
{
    m_ui->setupUi(this);
    setWindowIcon(StatusIcon::application());
    m_ui->layerTable->setRowCount(int(allLayers().size()));
    for (Layer layer : allLayers())
        m_ui->layerTable->setItem(int(layer), 0, cell(layerName(layer)));
    fitLayerTable();
    m_ui->actionSyncNow->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_ui->actionPause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_ui->actionSafetyCheck->setIcon(style()->standardIcon(QStyle::SP_MessageBoxInformation));
    m_ui->actionConflicts->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_ui->actionContactDiff->setIcon(style()->standardIcon(QStyle::SP_FileDialogContentsView));
    m_ui->actionSettings->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));

    connect(m_ui->actionSyncNow, &QAction::triggered, this, &MainWindow::syncNowRequested);
    connect(m_ui->actionPause, &QAction::triggered, this, [this] {
        if (m_status.paused)
            emit resumeRequested();
        else
            emit pauseRequested();
    });
    connect(m_ui->actionProvision, &QAction::triggered, this, &MainWindow::provisionRequested);
    connect(m_ui->actionSafetyCheck, &QAction::triggered, this, &MainWindow::openSafetyCheck);
    connect(m_ui->actionConflicts, &QAction::triggered, this, &MainWindow::openConflicts);
    connect(m_ui->actionContactDiff, &QAction::triggered, this, [this] { openContactDiff(); });
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionQuit, &QAction::triggered, this, &MainWindow::quitRequested);
    connect(m_ui->historyShow, &QPushButton::clicked, this,
            [this] { emit historyRequested(m_ui->historyFilter->text().trimmed()); });
    connect(m_ui->historyFilter, &QLineEdit::returnPressed, m_ui->historyShow, &QPushButton::click);
    connect(m_ui->tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_ui->tabs->currentWidget() == m_ui->historyTab)
            m_ui->historyShow->click();
    });

    connect(this, &MainWindow::syncNowRequested, worker, &SyncWorker::syncNow);
    connect(this, &MainWindow::pauseRequested, worker, &SyncWorker::pause);
    connect(this, &MainWindow::resumeRequested, worker, &SyncWorker::resume);
    connect(this, &MainWindow::provisionRequested, worker, &SyncWorker::provision);
    connect(this, &MainWindow::historyRequested, worker, &SyncWorker::loadHistory);

    ActivityLog *log = m_ui->activityLog;
    connect(worker, &SyncWorker::statusChanged, this, &MainWindow::setStatus);
    connect(worker, &SyncWorker::historyReady, this, &MainWindow::showHistory);
    connect(worker, &SyncWorker::message, this, [this, log](const QString &text) {
        log->add(ActivityLog::Kind::Info, text);
        statusBar()->showMessage(text, 10000);
    });
    connect(worker, &SyncWorker::cycleStarted, this,
            [log](const QString &cycleId) { log->add(ActivityLog::Kind::Info, tr("cycle %1 started").arg(cycleId)); });
    connect(worker, &SyncWorker::writeApplied, this, [log](const QString &contactId, Layer layer, const QString &operation) {
        log->add(ActivityLog::Kind::Write, tr("%1 %2 %3").arg(layerName(layer), operation, contactId));
    });
    connect(worker, &SyncWorker::conflictDetected, this, [log](const QString &contactId, const QString &field) {
        log->add(ActivityLog::Kind::Conflict, tr("conflict on %1 of %2").arg(field, contactId));
    });
    connect(worker, &SyncWorker::massDeleteBlocked, this, [log](int deletes, int total) {
        log->add(ActivityLog::Kind::Error, tr("mass-delete guard: %1 of %2 contacts would be deleted; waiting for you").arg(deletes).arg(total));
    });
    connect(worker, &SyncWorker::provisionFinished, this, [log](const QStringList &failures) {
        if (failures.isEmpty())
            log->add(ActivityLog::Kind::Info, tr("every configured layer is provisioned"));
        for (const QString &failure : failures)
            log->add(ActivityLog::Kind::Error, tr("provisioning failed: %1").arg(failure));
    });
    connect(worker, &SyncWorker::cycleFinished, this, &MainWindow::cycleFinished);
}

MainWindow::~MainWindow() = default;

ActivityLog *MainWindow::activityLog() const
{
    return m_ui->activityLog;
}

ThroughputChart *MainWindow::throughputChart() const
{
    return m_ui->throughputChart;
}

void MainWindow::setStatus(const SyncStatus &status)
{
    m_status = status;
    m_ui->stateIcon->setPixmap(StatusIcon::forState(status.state).pixmap(32, 32));
    m_ui->stateIcon->setToolTip(syncStateName(status.state));
    // One problem reads well in the one-line summary; several are listed once each.
    m_ui->statusSummary->setText(status.problems.size() <= 1
                                     ? status.summary()
                                     : tr("%n problems keep the sync from being clean:", nullptr, int(status.problems.size()))
                                           + QStringLiteral("\n• ") + status.problems.join(QStringLiteral("\n• ")));
    m_ui->countsLabel->setText(tr("%1 contacts · %2 writes synced · %3 open conflicts · %4 dead letters")
                                   .arg(status.contacts)
                                   .arg(status.totalSynced)
                                   .arg(status.openConflicts)
                                   .arg(status.deadLetters));
    m_ui->actionPause->setText(status.paused ? tr("Resume") : tr("Pause"));
    m_ui->actionPause->setIcon(style()->standardIcon(status.paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    for (const LayerStatus &layer : status.layers) {
        const int row = int(layer.layer);
        m_ui->layerTable->setItem(row, 1, cell(layer.configured ? tr("yes") : tr("no")));
        m_ui->layerTable->setItem(row, 2, cell(layer.configured ? QString::number(layer.pulledLastCycle) : QString()));
        QString written = layer.configured ? QString::number(layer.writtenLastCycle) : QString();
        if (layer.rejectedLastCycle > 0)
            written += tr(" (%1 refused)").arg(layer.rejectedLastCycle);
        m_ui->layerTable->setItem(row, 3, cell(written));
        m_ui->layerTable->setItem(row, 4, cell(layer.watermark));
        const QString wait = layer.waitText(QDateTime::currentDateTimeUtc());
        auto *error = cell(layer.error.isEmpty() ? wait : layer.error);
        error->setForeground(layer.error.isEmpty() ? palette().color(QPalette::Text) : QColor(0xc0, 0x1c, 0x1c));
        if (!layer.error.isEmpty())
            error->setIcon(style()->standardIcon(QStyle::SP_MessageBoxCritical));
        else if (!wait.isEmpty())
            error->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
        m_ui->layerTable->setItem(row, 5, error);
        if (!layer.configured) {
            for (int column = 0; column < m_ui->layerTable->columnCount() - 1; ++column)
                m_ui->layerTable->item(row, column)->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        }
    }
    fitLayerTable();
}

void MainWindow::fitLayerTable()
{
    QTableWidget *table = m_ui->layerTable;
    table->resizeColumnsToContents();
    // BigQuery's and Twenty's watermarks are JSON; the tooltip has all of it, the error column needs the room.
    table->setColumnWidth(4, std::min(table->columnWidth(4), kWatermarkWidth));
    table->horizontalHeader()->setSectionResizeMode(table->columnCount() - 1, QHeaderView::Stretch);
    int height = table->horizontalHeader()->height() + 2 * table->frameWidth();
    for (int row = 0; row < table->rowCount(); ++row)
        height += table->rowHeight(row);
    table->setFixedHeight(height); // every layer always in view, never a scroll bar for four rows
}

void MainWindow::cycleFinished(const CycleReport &report)
{
    ActivityLog *log = m_ui->activityLog;
    QStringList perLayer;
    for (Layer layer : allLayers()) {
        if (report.pulled.contains(layer) || report.written.contains(layer))
            perLayer << tr("%1 read %2 wrote %3").arg(layerName(layer)).arg(report.pulled.value(layer)).arg(report.written.value(layer));
    }
    log->add(report.clean() ? ActivityLog::Kind::Info : ActivityLog::Kind::Error,
             tr("cycle %1 finished: %2 contacts processed%3; %4 conflicts, %5 held, %6 echoes suppressed")
                 .arg(report.cycleId)
                 .arg(report.contactsProcessed)
                 .arg(perLayer.isEmpty() ? QString() : QStringLiteral("; ") + perLayer.join(QStringLiteral(", ")))
                 .arg(report.conflicts)
                 .arg(report.held)
                 .arg(report.echoesSuppressed));
    for (const QString &error : report.errors)
        log->add(ActivityLog::Kind::Error, error);
    m_ui->throughputChart->addCycle(report);
    if (m_ui->tabs->currentWidget() == m_ui->historyTab)
        emit historyRequested(m_ui->historyFilter->text().trimmed());
}

void MainWindow::showHistory(const QString &contactId, const QList<JournalEntry> &entries)
{
    if (contactId != m_ui->historyFilter->text().trimmed())
        return; // an answer to an older filter
    QTableWidget *table = m_ui->historyTable;
    table->setRowCount(int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        const JournalEntry &entry = entries.at(row);
        table->setItem(row, 0, cell(entry.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))));
        table->setItem(row, 1, cell(journalStatusName(entry.status)));
        table->setItem(row, 2, cell(layerName(entry.layer)));
        table->setItem(row, 3, cell(entry.operation));
        table->setItem(row, 4, cell(entry.contactId));
        table->setItem(row, 5, cell(entry.detail));
        if (entry.status == JournalEntry::Status::Failed) {
            for (int column = 0; column < table->columnCount(); ++column)
                table->item(row, column)->setForeground(QColor(0xc0, 0x1c, 0x1c));
        }
    }
    table->resizeColumnsToContents();
}

SettingsDialog *MainWindow::openSettings()
{
    if (!m_settings) {
        m_settings = new SettingsDialog(m_settingsWorker, m_configPath, this);
        connect(m_settings, &SettingsDialog::saved, this, [this](const QString &path) {
            m_configPath = path;
            emit configSaved(path);
        });
    }
    m_settings->load();
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
    return m_settings;
}

SafetyCheckDialog *MainWindow::openSafetyCheck()
{
    if (!m_safety)
        m_safety = new SafetyCheckDialog(m_worker, this);
    m_safety->show();
    m_safety->raise();
    m_safety->runAgain();
    return m_safety;
}

ConflictsDialog *MainWindow::openConflicts()
{
    if (!m_conflicts)
        m_conflicts = new ConflictsDialog(m_worker, this);
    m_conflicts->show();
    m_conflicts->raise();
    m_conflicts->refresh();
    return m_conflicts;
}

ContactDiffDialog *MainWindow::openContactDiff(const QString &contactId)
{
    if (!m_diff)
        m_diff = new ContactDiffDialog(m_worker, this);
    m_diff->show();
    m_diff->raise();
    m_diff->start(contactId);
    return m_diff;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_keepRunningInTray) {
        hide();
        event->ignore();
        return;
    }
    event->accept();
    emit quitRequested();
}

} // namespace tf
