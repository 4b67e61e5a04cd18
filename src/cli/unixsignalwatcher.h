#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <memory>

namespace tf {

// Turns SIGTERM and SIGINT into a Qt signal through a self-pipe (a signal handler may only write a byte), so the
// scheduler can finish the batch in flight and stop cleanly when systemd or a person stops the service.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void terminationRequested();

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace tf
