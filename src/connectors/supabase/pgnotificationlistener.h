#pragma once

#include "connectors/supabase/pgconnectioninfo.h"

#include <QObject>
#include <QTimer>
#include <memory>
#include <pqxx/connection>

class QSocketNotifier;

namespace tf {

// LISTENs on its own connection and says when a NOTIFY arrived, without blocking: a QSocketNotifier watches the
// connection's socket and libpq's input is consumed when it becomes readable. NOTIFY is only a wake-up hint
// (no replay for a listener that was away, §1.4): after a lost connection it reconnects on a timer and reports a
// wake-up so the catch-up poll runs. Needs a real session: never used on the transaction-mode pooler (§1.3).
class PgNotificationListener : public QObject
{
    Q_OBJECT
public:
    PgNotificationListener(const PgConnectionInfo &info, const QString &channel, QObject *parent = nullptr);
    ~PgNotificationListener() override;

    // Connects and LISTENs; on failure retries every 5 s. Returns whether it is listening now.
    bool start();
    bool isListening() const;

signals:
    void notified();

private:
    class Receiver;

    void consumeInput();
    void stop();

    const PgConnectionInfo &m_info;
    QString m_channel;
    std::unique_ptr<pqxx::connection> m_connection; // declared before the receiver: it outlives it
    std::unique_ptr<Receiver> m_receiver;
    QSocketNotifier *m_notifier = nullptr; // a child: stop() may run inside its own activated()
    QTimer m_retry;
    int m_received = 0;
};

} // namespace tf
