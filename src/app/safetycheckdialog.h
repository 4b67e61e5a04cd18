#pragma once

#include "core/safetycheck.h"

#include <QDialog>
#include <memory>

namespace Ui {
class SafetyCheckDialog;
}

namespace tf {

class SyncWorker;

// The safety check as a person reads it: every item with a pass/warn/fail icon, its message and how to fix it,
// and the verdict the core computed.
class SafetyCheckDialog : public QDialog
{
    Q_OBJECT
public:
    SafetyCheckDialog(SyncWorker *worker, QWidget *parent = nullptr);
    ~SafetyCheckDialog() override;

    void runAgain();
    bool hasReport() const { return m_hasReport; }
    SafetyVerdict verdict() const { return m_report.verdict(); }

signals:
    void checkRequested();

private:
    void render(const SafetyReport &report);

    std::unique_ptr<Ui::SafetyCheckDialog> m_ui;
    SafetyReport m_report;
    bool m_hasReport = false;
};

} // namespace tf
