#include "app/conflictsdialog.h"

#include "app/syncworker.h"
#include "core/contactnormalizer.h"
#include "ui_conflictsdialog.h"

namespace tf {

namespace {

constexpr int kFixedColumns = 4; // id, contact, field, base; then one column per layer

QString valueText(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("∅");
    return value.isString() ? value.toString() : ContactNormalizer::canonicalJson(value);
}

QString duplicateText(const ConflictRecord &record)
{
    const QJsonObject details = record.base.value(QStringLiteral("value")).toObject();
    return QObject::tr("same primary email %1 (new in %2); differs in %3")
        .arg(details.value(QStringLiteral("email")).toString(), details.value(QStringLiteral("layer")).toString(),
             details.value(QStringLiteral("differing")).toVariant().toStringList().join(QStringLiteral(", ")));
}

} // namespace

ConflictsDialog::ConflictsDialog(SyncWorker *worker, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConflictsDialog>())
{
    m_ui->setupUi(this);
    connect(m_ui->refreshButton, &QPushButton::clicked, this, &ConflictsDialog::refresh);
    connect(m_ui->resolveButton, &QPushButton::clicked, this, &ConflictsDialog::resolveSelected);
    connect(m_ui->syncNowButton, &QPushButton::clicked, this, &ConflictsDialog::syncNowRequested);
    connect(m_ui->conflictTable, &QTableWidget::cellDoubleClicked, this, &ConflictsDialog::resolveSelected);
    connect(m_ui->conflictTable, &QTableWidget::currentCellChanged, this, &ConflictsDialog::selectionChanged);
    connect(m_ui->mergeButton, &QPushButton::clicked, this, [this] { answerSelected(ConflictRecord::kMerge); });
    connect(m_ui->keepBothButton, &QPushButton::clicked, this, [this] { answerSelected(ConflictRecord::kKeepBoth); });

    connect(this, &ConflictsDialog::refreshRequested, worker, &SyncWorker::loadConflicts);
    connect(this, &ConflictsDialog::resolveRequested, worker, &SyncWorker::resolveConflict);
    connect(this, &ConflictsDialog::duplicateAnswered, worker, &SyncWorker::answerPossibleDuplicate);
    connect(this, &ConflictsDialog::syncNowRequested, worker, &SyncWorker::syncNow);
    connect(worker, &SyncWorker::conflictsReady, this, &ConflictsDialog::render);
    connect(worker, &SyncWorker::cycleFinished, this, [this] {
        if (isVisible())
            refresh();
    });
}

ConflictsDialog::~ConflictsDialog() = default;

void ConflictsDialog::refresh()
{
    emit refreshRequested();
}

std::optional<Layer> ConflictsDialog::layerOfColumn(int column) const
{
    if (column < kFixedColumns || column - kFixedColumns >= m_layers.size())
        return std::nullopt;
    return m_layers.at(column - kFixedColumns);
}

void ConflictsDialog::render(const QList<ConflictRecord> &conflicts, const QList<Layer> &configured)
{
    m_conflicts = conflicts;
    // The configured layers, and any other a conflict still holds a value from (a layer removed since).
    m_layers.clear();
    for (Layer layer : allLayers()) {
        const bool holdsValue = std::any_of(conflicts.cbegin(), conflicts.cend(), [layer](const ConflictRecord &record) {
            return record.values.contains(layerName(layer));
        });
        if (configured.contains(layer) || holdsValue)
            m_layers.append(layer);
    }
    const QList<Layer> &layers = m_layers;
    QTableWidget *table = m_ui->conflictTable;
    QStringList headers{tr("#"), tr("Contact"), tr("Field"), tr("Base (last synced)")};
    for (Layer layer : layers)
        headers << layerName(layer);
    table->clear();
    table->setColumnCount(int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setRowCount(int(conflicts.size()));
    for (int row = 0; row < conflicts.size(); ++row) {
        const ConflictRecord &record = conflicts.at(row);
        const bool duplicate = record.kind == ConflictRecord::Kind::PossibleDuplicate;
        table->setItem(row, 0, new QTableWidgetItem(QString::number(record.id)));
        table->setItem(row, 1, new QTableWidgetItem(record.contactId));
        table->setItem(row, 2,
                       new QTableWidgetItem(
                           duplicate ? tr("possible duplicate of %1")
                                           .arg(record.values.value(QLatin1String(ConflictRecord::kMerge)).toString())
                                     : record.field));
        table->setItem(row, 3,
                       new QTableWidgetItem(duplicate ? duplicateText(record)
                                                      : valueText(record.base.value(QStringLiteral("value")))));
        for (int index = 0; index < layers.size(); ++index) {
            const QString name = layerName(layers.at(index));
            auto *item = new QTableWidgetItem(record.values.contains(name) ? valueText(record.values.value(name)) : QString());
            if (!record.values.contains(name))
                item->setFlags(Qt::NoItemFlags); // this layer did not change the field: nothing to take
            else
                item->setToolTip(tr("Double-click to take the %1 value").arg(name));
            table->setItem(row, kFixedColumns + index, item);
        }
        for (int column = 0; column < kFixedColumns; ++column)
            table->item(row, column)->setFlags(Qt::ItemIsEnabled);
    }
    table->resizeColumnsToContents();
    m_ui->resolveButton->setEnabled(false);
    m_ui->mergeButton->setEnabled(false);
    m_ui->keepBothButton->setEnabled(false);
    m_ui->explanationLabel->setText(
        conflicts.isEmpty()
            ? tr("No open conflicts.")
            : tr("%n open conflict(s): the same field changed differently in two layers (click the value "
                 "that is right, then take it), or a new contact shares a known contact's email (merge "
                 "or keep both). The next cycle writes the answer everywhere.",
                 nullptr, int(conflicts.size())));
}

void ConflictsDialog::selectionChanged(int row, int column)
{
    const bool duplicate
        = row >= 0 && row < m_conflicts.size() && m_conflicts.at(row).kind == ConflictRecord::Kind::PossibleDuplicate;
    const std::optional<Layer> layer = layerOfColumn(column);
    const bool holdsValue
        = row >= 0 && !duplicate && layer && m_conflicts.value(row).values.contains(layerName(*layer));
    m_ui->resolveButton->setEnabled(holdsValue);
    m_ui->resolveButton->setText(holdsValue ? tr("Take the %1 value").arg(layerName(*layer))
                                            : tr("Take the selected value"));
    m_ui->mergeButton->setEnabled(duplicate);
    m_ui->keepBothButton->setEnabled(duplicate);
}

void ConflictsDialog::answerSelected(const char *answer)
{
    const int row = m_ui->conflictTable->currentRow();
    if (row < 0 || row >= m_conflicts.size() || m_conflicts.at(row).kind != ConflictRecord::Kind::PossibleDuplicate)
        return;
    const ConflictRecord &record = m_conflicts.at(row);
    const bool merge = qstrcmp(answer, ConflictRecord::kMerge) == 0;
    m_ui->resultLabel->setText(
        merge ? tr("Contact %1 is merged into contact %2 by the next cycle.")
                    .arg(record.contactId, record.values.value(QLatin1String(answer)).toString())
              : tr("Contact %1 stays a contact of its own; the next cycle syncs it.").arg(record.contactId));
    emit duplicateAnswered(record.id, QLatin1String(answer));
}

void ConflictsDialog::resolveSelected()
{
    const int row = m_ui->conflictTable->currentRow();
    const std::optional<Layer> layer = layerOfColumn(m_ui->conflictTable->currentColumn());
    if (row < 0 || row >= m_conflicts.size() || !layer || !m_conflicts.at(row).values.contains(layerName(*layer)))
        return;
    const ConflictRecord &record = m_conflicts.at(row);
    m_ui->resultLabel->setText(tr("Conflict %1: taking the %4 value of %2 for %3; the next cycle writes it to every layer.")
                                   .arg(record.id)
                                   .arg(record.field, record.contactId, layerName(*layer)));
    emit resolveRequested(record.id, *layer);
}

} // namespace tf
