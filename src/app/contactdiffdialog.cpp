#include "app/contactdiffdialog.h"

#include "app/syncworker.h"
#include "ui_contactdiffdialog.h"

#include <QCompleter>
#include <QLineEdit>
#include <QStyle>

namespace tf {

namespace {

constexpr int kLayerColumn = 1; // column 0 is the field name, then one per layer, then the base
constexpr int kShownCharacters = 120;
constexpr int kLayerColumnWidth = 200;

QString shown(const QString &text)
{
    if (text.isEmpty())
        return QStringLiteral("∅");
    return text.size() > kShownCharacters ? text.left(kShownCharacters) + QStringLiteral("…") : text;
}

} // namespace

const QColor ContactDiffDialog::kDisagree(0xff, 0xd6, 0xd6);
const QColor ContactDiffDialog::kChangedSinceSync(0xff, 0xf1, 0xc2);
const QColor ContactDiffDialog::kChosen(0xc8, 0xf0, 0xc8);

ContactDiffDialog::ContactDiffDialog(SyncWorker *worker, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ContactDiffDialog>())
{
    m_ui->setupUi(this);
    m_ui->contactIdBox->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_ui->contactIdBox->completer()->setFilterMode(Qt::MatchContains);
    connect(m_ui->compareButton, &QPushButton::clicked, this, [this] {
        m_note.clear();
        compare(m_ui->contactIdBox->currentText().trimmed());
    });
    connect(m_ui->contactIdBox->lineEdit(), &QLineEdit::returnPressed, m_ui->compareButton, &QPushButton::click);
    connect(m_ui->fieldTable, &QTableWidget::cellClicked, this, &ContactDiffDialog::toggleChoice);
    connect(m_ui->clearButton, &QPushButton::clicked, this, [this] {
        m_choices.clear();
        for (int row = 0; row < m_ui->fieldTable->rowCount(); ++row)
            paintRow(row);
        updateButtons();
    });
    connect(m_ui->applyButton, &QPushButton::clicked, this, [this] {
        m_ui->applyButton->setEnabled(false);
        m_ui->summaryLabel->setText(tr("Applying %n choice(s) through the engine…", nullptr, int(m_choices.size())));
        emit applyRequested(m_comparison.contactId, m_choices);
    });

    connect(this, &ContactDiffDialog::contactIdsRequested, worker, &SyncWorker::loadContactIds);
    connect(this, &ContactDiffDialog::comparisonRequested, worker, &SyncWorker::compareContact);
    connect(this, &ContactDiffDialog::applyRequested, worker, &SyncWorker::applyChoices);
    connect(worker, &SyncWorker::contactIdsReady, this, [this](const QStringList &ids) {
        const QString typed = m_ui->contactIdBox->currentText();
        m_ui->contactIdBox->clear();
        m_ui->contactIdBox->addItems(ids);
        m_ui->contactIdBox->setCurrentText(typed);
    });
    connect(worker, &SyncWorker::comparisonReady, this, &ContactDiffDialog::render);
    connect(worker, &SyncWorker::choicesApplied, this, &ContactDiffDialog::showApplied);
}

ContactDiffDialog::~ContactDiffDialog() = default;

void ContactDiffDialog::start(const QString &contactId)
{
    emit contactIdsRequested();
    if (!contactId.isEmpty()) {
        m_ui->contactIdBox->setCurrentText(contactId);
        compare(contactId);
    }
}

QString ContactDiffDialog::summary() const
{
    return m_ui->summaryLabel->text();
}

void ContactDiffDialog::compare(const QString &contactId)
{
    if (contactId.isEmpty())
        return;
    m_ui->summaryLabel->setText(tr("Reading %1 from every layer…").arg(contactId));
    emit comparisonRequested(contactId);
}

std::optional<Layer> ContactDiffDialog::layerOfColumn(int column) const
{
    const int index = column - kLayerColumn;
    if (index < 0 || index >= m_comparison.layers.size())
        return std::nullopt;
    return m_comparison.layers.at(index);
}

void ContactDiffDialog::render(const ContactComparison &comparison)
{
    if (comparison.contactId != m_ui->contactIdBox->currentText().trimmed())
        return; // the answer to an earlier request
    if (comparison.contactId != m_comparison.contactId)
        m_choices.clear();
    m_comparison = comparison;
    QTableWidget *table = m_ui->fieldTable;
    QStringList headers{tr("Field")};
    for (Layer layer : comparison.layers)
        headers << layerName(layer);
    headers << tr("Base (last synced)");
    table->clear();
    table->setColumnCount(int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setRowCount(int(comparison.rows.size()));
    for (int row = 0; row < comparison.rows.size(); ++row) {
        const ContactComparison::Row &fieldRow = comparison.rows.at(row);
        table->setItem(row, 0, new QTableWidgetItem(fieldRow.field));
        for (int index = 0; index < comparison.layers.size(); ++index) {
            const Layer layer = comparison.layers.at(index);
            auto *item = new QTableWidgetItem;
            if (fieldRow.values.contains(layer)) {
                item->setText(shown(fieldRow.values.value(layer)));
                item->setToolTip(fieldRow.values.value(layer));
            } else {
                item->setText(tr("— not in this layer —"));
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            }
            table->setItem(row, kLayerColumn + index, item);
        }
        auto *base = new QTableWidgetItem(fieldRow.base ? shown(*fieldRow.base) : tr("— never synced —"));
        base->setToolTip(fieldRow.base.value_or(QString()));
        table->setItem(row, int(headers.size()) - 1, base);
        paintRow(row);
    }
    table->resizeColumnsToContents();
    // Every layer side by side without scrolling sideways; long values are elided, whole in their tooltips.
    for (int column = kLayerColumn; column < table->columnCount() - 1; ++column)
        table->setColumnWidth(column, std::min(table->columnWidth(column), kLayerColumnWidth));

    QString summary;
    if (!comparison.found())
        summary = tr("No layer holds contact %1, and the sync never saw it.").arg(comparison.contactId);
    else if (comparison.differingRows() == 0)
        summary = tr("%1: every layer holds the same values as the last sync.").arg(comparison.contactId);
    else
        summary = tr("%1: %n field(s) differ.", nullptr, comparison.differingRows()).arg(comparison.contactId);
    for (const QString &error : comparison.errors)
        summary += QStringLiteral("\n⚠ ") + error;
    if (!m_note.isEmpty())
        summary += QStringLiteral("\n") + m_note;
    m_ui->summaryLabel->setText(summary);
    updateButtons();
}

void ContactDiffDialog::paintRow(int row)
{
    const ContactComparison::Row &fieldRow = m_comparison.rows.at(row);
    const QColor background = fieldRow.layersDisagree ? kDisagree : fieldRow.changedSinceSync ? kChangedSinceSync : QColor();
    for (int column = 0; column < m_ui->fieldTable->columnCount(); ++column) {
        QTableWidgetItem *item = m_ui->fieldTable->item(row, column);
        const std::optional<Layer> layer = layerOfColumn(column);
        const bool chosen = layer && m_choices.contains(fieldRow.field) && m_choices.value(fieldRow.field) == *layer;
        item->setBackground(chosen ? QBrush(kChosen) : background.isValid() ? QBrush(background) : QBrush());
        item->setIcon(chosen ? style()->standardIcon(QStyle::SP_DialogApplyButton) : QIcon());
        QFont font = item->font();
        font.setBold(chosen || (column == 0 && fieldRow.differs()));
        item->setFont(font);
    }
}

void ContactDiffDialog::toggleChoice(int row, int column)
{
    const std::optional<Layer> layer = layerOfColumn(column);
    if (row < 0 || row >= m_comparison.rows.size() || !layer)
        return;
    const ContactComparison::Row &fieldRow = m_comparison.rows.at(row);
    // Only a differing value is a decision, and the id is not up for one.
    if (!fieldRow.differs() || !fieldRow.values.contains(*layer) || fieldRow.field == field::ContactId)
        return;
    if (m_choices.contains(fieldRow.field) && m_choices.value(fieldRow.field) == *layer)
        m_choices.remove(fieldRow.field);
    else
        m_choices.insert(fieldRow.field, *layer);
    paintRow(row);
    updateButtons();
}

void ContactDiffDialog::updateButtons()
{
    m_ui->applyButton->setEnabled(!m_choices.isEmpty());
    m_ui->clearButton->setEnabled(!m_choices.isEmpty());
    m_ui->applyButton->setText(m_choices.isEmpty() ? tr("Apply choices") : tr("Apply %n choice(s)", nullptr, int(m_choices.size())));
}

void ContactDiffDialog::showApplied(const QString &contactId, const CycleReport &report)
{
    if (contactId != m_comparison.contactId)
        return;
    QStringList written;
    for (auto it = report.written.cbegin(); it != report.written.cend(); ++it)
        written << QStringLiteral("%1 (%2)").arg(layerName(it.key())).arg(it.value());
    const QString result = report.clean()
        ? tr("Applied: %1.").arg(written.isEmpty() ? tr("every layer already held the chosen values; the base is updated")
                                                   : tr("written to ") + written.join(QStringLiteral(", ")))
        : tr("Not applied: %1").arg(report.errors.join(QStringLiteral("; ")));
    if (report.clean())
        m_choices.clear();
    m_note = result;
    compare(contactId);
}

} // namespace tf
