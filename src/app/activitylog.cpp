#include "app/activitylog.h"

#include <QDateTime>
#include <QScrollBar>
#include <QStyle>

namespace tf {

ActivityLog::ActivityLog(QWidget *parent)
    : QListWidget(parent)
{
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
}

void ActivityLog::add(Kind kind, const QString &text)
{
    const bool atBottom = verticalScrollBar()->value() == verticalScrollBar()->maximum();
    auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), text));
    switch (kind) {
    case Kind::Info:
        break;
    case Kind::Write:
        item->setForeground(palette().color(QPalette::Disabled, QPalette::Text).darker(140));
        break;
    case Kind::Conflict:
        item->setForeground(QColor(0xb3, 0x6b, 0x00));
        item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
        break;
    case Kind::Error:
        item->setForeground(QColor(0xc0, 0x1c, 0x1c));
        item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxCritical));
        break;
    }
    item->setData(Qt::UserRole, int(kind));
    addItem(item);
    // Trimmed a tenth at a time: one model change per many writes, not one per write of a 100,000-contact sync.
    if (count() > kMaxEntries + kMaxEntries / 10)
        model()->removeRows(0, count() - kMaxEntries);
    if (atBottom)
        scrollToBottom();
}

} // namespace tf
