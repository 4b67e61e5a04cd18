#pragma once

#include "core/contactcomparison.h"
#include "core/cyclereport.h"

#include <QDialog>
#include <memory>

namespace Ui {
class ContactDiffDialog;
}

namespace tf {

class SyncWorker;

// One contact across every layer and its base: a row per content field, a column per layer, differing rows
// highlighted (the core's ContactComparison decides what differs). The person clicks the right value per field and
// applies: SyncEngine::applyChoices writes it through the engine, journaled like a cycle.
class ContactDiffDialog : public QDialog
{
    Q_OBJECT
public:
    ContactDiffDialog(SyncWorker *worker, QWidget *parent = nullptr);
    ~ContactDiffDialog() override;

    void start(const QString &contactId);
    void compare(const QString &contactId);
    const ContactComparison &comparison() const { return m_comparison; }
    const QMap<QString, Layer> &choices() const { return m_choices; }
    QString summary() const;

    static const QColor kDisagree;
    static const QColor kChangedSinceSync;
    static const QColor kChosen;

signals:
    void contactIdsRequested();
    void comparisonRequested(const QString &contactId);
    void applyRequested(const QString &contactId, const QMap<QString, tf::Layer> &choices);

private:
    void render(const ContactComparison &comparison);
    void showApplied(const QString &contactId, const CycleReport &report);
    void toggleChoice(int row, int column);
    void paintRow(int row);
    std::optional<Layer> layerOfColumn(int column) const;
    void updateButtons();

    std::unique_ptr<Ui::ContactDiffDialog> m_ui;
    ContactComparison m_comparison;
    QMap<QString, Layer> m_choices; // field → layer
    QString m_note;                 // the outcome of the last Apply, shown with the comparison that follows it
};

} // namespace tf
