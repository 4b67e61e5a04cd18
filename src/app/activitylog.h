#pragma once

#include <QListWidget>

namespace tf {

// The live activity of the sync, newest at the bottom: each applied write, conflicts, errors and the cycles.
// Bounded, so a week in the tray does not grow without end.
class ActivityLog : public QListWidget
{
    Q_OBJECT
public:
    enum class Kind { Info, Write, Conflict, Error };

    explicit ActivityLog(QWidget *parent = nullptr);
    void add(Kind kind, const QString &text);

    static constexpr int kMaxEntries = 5000;
};

} // namespace tf
