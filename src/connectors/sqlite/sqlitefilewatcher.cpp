#include "connectors/sqlite/sqlitefilewatcher.h"

#include <QFileInfo>

namespace tf {

SqliteFileWatcher::SqliteFileWatcher(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_files(this) // children, so that moving the connector to the engine's thread moves them along
    , m_interval(this)
{
    m_interval.setSingleShot(true);
    m_interval.setInterval(500);
    connect(&m_files, &QFileSystemWatcher::fileChanged, this, [this] {
        if (!m_interval.isActive())
            m_interval.start();
    });
    connect(&m_interval, &QTimer::timeout, this, [this] {
        watch();
        emit touched();
    });
}

void SqliteFileWatcher::watch()
{
    const QStringList watched = m_files.files();
    for (const QString &file : {m_path, m_path + QStringLiteral("-wal")}) {
        if (!watched.contains(file) && QFileInfo::exists(file))
            m_files.addPath(file);
    }
}

} // namespace tf
