#pragma once

#include "core/statedatabase.h"

#include <QDialog>
#include <memory>

namespace Ui {
class ConflictsDialog;
}

namespace tf {

class SyncWorker;

// The manual conflict queue: each open conflict with every layer's value and the base. Taking a layer's value
// resolves the conflict in the state database; the next cycle applies it (as `tfsync conflicts resolve`). A possible
// duplicate (a new contact with a known primary email but other values) is answered with merge or keep both.
class ConflictsDialog : public QDialog
{
    Q_OBJECT
public:
    ConflictsDialog(SyncWorker *worker, QWidget *parent = nullptr);
    ~ConflictsDialog() override;

    void refresh();
    int conflictCount() const { return int(m_conflicts.size()); }

signals:
    void refreshRequested();
    void resolveRequested(qint64 conflictId, tf::Layer layer);
    void duplicateAnswered(qint64 conflictId, const QString &answer);
    void syncNowRequested();

private:
    void render(const QList<tf::ConflictRecord> &conflicts, const QList<tf::Layer> &configured);
    void resolveSelected();
    void answerSelected(const char *answer);
    void selectionChanged(int row, int column);
    std::optional<Layer> layerOfColumn(int column) const;

    std::unique_ptr<Ui::ConflictsDialog> m_ui;
    QList<ConflictRecord> m_conflicts;
    QList<Layer> m_layers;
};

} // namespace tf
