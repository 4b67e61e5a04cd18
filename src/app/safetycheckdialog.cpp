#include "app/safetycheckdialog.h"

#include "app/syncworker.h"
#include "ui_safetycheckdialog.h"

#include <QStyle>

namespace tf {

SafetyCheckDialog::SafetyCheckDialog(SyncWorker *worker, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SafetyCheckDialog>())
{
    m_ui->setupUi(this);
    connect(m_ui->runAgainButton, &QPushButton::clicked, this, &SafetyCheckDialog::runAgain);
    connect(this, &SafetyCheckDialog::checkRequested, worker, &SyncWorker::runSafetyCheck);
    connect(worker, &SyncWorker::safetyReportReady, this, &SafetyCheckDialog::render);
}

SafetyCheckDialog::~SafetyCheckDialog() = default;

void SafetyCheckDialog::runAgain()
{
    m_ui->verdictLabel->setText(tr("Checking every layer…"));
    m_ui->runAgainButton->setEnabled(false);
    emit checkRequested();
}

void SafetyCheckDialog::render(const SafetyReport &report)
{
    m_report = report;
    m_hasReport = true;
    m_ui->runAgainButton->setEnabled(true);
    const SafetyVerdict verdict = report.verdict();
    const char *colour = verdict == SafetyVerdict::Safe ? "#2e9d4f" : verdict == SafetyVerdict::SafeWithWarnings ? "#b36b00" : "#c01c1c";
    const QString meaning = verdict == SafetyVerdict::Safe ? tr("everything checked out")
        : verdict == SafetyVerdict::SafeWithWarnings       ? tr("the sync can run; read the warnings")
                                                           : tr("nothing syncs until the failures are fixed");
    m_ui->verdictLabel->setText(QStringLiteral("<span style=\"font-size:15pt; font-weight:600; color:%1\">%2</span> — %3")
                                    .arg(QLatin1String(colour), safetyVerdictName(verdict), meaning));

    QTableWidget *table = m_ui->itemsTable;
    table->setRowCount(int(report.items.size()));
    for (int row = 0; row < report.items.size(); ++row) {
        const SafetyItem &item = report.items.at(row);
        QStyle::StandardPixmap icon = QStyle::SP_DialogApplyButton;
        QString level = tr("pass");
        if (item.level == SafetyItem::Level::Warn) {
            icon = QStyle::SP_MessageBoxWarning;
            level = tr("warn");
        } else if (item.level == SafetyItem::Level::Fail) {
            icon = QStyle::SP_MessageBoxCritical;
            level = tr("fail");
        }
        table->setItem(row, 0, new QTableWidgetItem(style()->standardIcon(icon), level));
        table->setItem(row, 1, new QTableWidgetItem(item.check));
        table->setItem(row, 2, new QTableWidgetItem(item.layer));
        table->setItem(row, 3, new QTableWidgetItem(item.message));
        // A hint only matters where something is wrong.
        table->setItem(row, 4, new QTableWidgetItem(item.level == SafetyItem::Level::Pass ? QString() : item.hint));
        for (int column = 1; column < table->columnCount(); ++column)
            table->item(row, column)->setToolTip(table->item(row, column)->text());
    }
    table->resizeColumnsToContents();
    table->resizeRowsToContents();
}

} // namespace tf
