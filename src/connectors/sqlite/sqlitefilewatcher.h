#pragma once

#include <QFileSystemWatcher>
#include <QTimer>

namespace tf {

// Notices writes to the local file by any program: the database file and its -wal file, where WAL-mode writes
// land first. At most one `touched` per interval, so a burst of writes wakes the sync once and a steady stream
// still wakes it regularly. Whether a write was someone else's is for the caller to decide (the change log).
class SqliteFileWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SqliteFileWatcher(const QString &path, QObject *parent = nullptr);

    // (Re)watches the files that exist now: the -wal file comes and goes with the connections to the database.
    void watch();

signals:
    void touched();

private:
    QString m_path;
    QFileSystemWatcher m_files;
    QTimer m_interval;
};

} // namespace tf
