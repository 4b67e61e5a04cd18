#include "connectors/supabase/pgnotificationlistener.h"

#include "core/logging.h"

#include <QSocketNotifier>
#include <pqxx/connection>
#include <pqxx/notification>

namespace tf {

namespace {

constexpr int kRetryMs = 5000;

} // namespace

class PgNotificationListener::Receiver : public pqxx::notification_receiver
{
public:
    Receiver(pqxx::connection &connection, const std::string &channel, int *received)
        : pqxx::notification_receiver(connection, channel)
        , m_received(received)
    {
    }
    void operator()(const std::string &, int) override { ++*m_received; }

private:
    int *m_received;
};

PgNotificationListener::PgNotificationListener(const PgConnectionInfo &info, const QString &channel, QObject *parent)
    : QObject(parent)
    , m_info(info)
    , m_channel(channel)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryMs);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (start())
            emit notified(); // whatever was notified while we were away is lost: let the poll catch up
    });
}

PgNotificationListener::~PgNotificationListener()
{
    stop();
}

bool PgNotificationListener::isListening() const
{
    return m_notifier != nullptr;
}

bool PgNotificationListener::start()
{
    if (isListening())
        return true;
    try {
        m_connection = std::make_unique<pqxx::connection>(m_info.conninfo());
        m_receiver = std::make_unique<Receiver>(*m_connection, m_channel.toStdString(), &m_received);
        m_connection->get_notifs(); // the LISTEN is sent with the receiver's registration; flush what it returned
        m_notifier = new QSocketNotifier(m_connection->sock(), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &PgNotificationListener::consumeInput);
        qCDebug(lcSupabase) << "listening for" << m_channel << "on" << m_info.describe();
        return true;
    } catch (const std::exception &error) {
        qCWarning(lcSupabase).noquote() << "cannot LISTEN on" << m_info.describe() << ":"
                                        << m_info.redacted(QString::fromUtf8(error.what())).simplified()
                                        << "- retrying in" << kRetryMs / 1000 << "s; polling still catches up";
        stop();
        m_retry.start();
        return false;
    }
}

void PgNotificationListener::stop()
{
    if (m_notifier) {
        m_notifier->setEnabled(false); // before the socket closes below
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    m_receiver.reset();
    m_connection.reset();
}

void PgNotificationListener::consumeInput()
{
    m_received = 0;
    try {
        m_connection->get_notifs();
    } catch (const std::exception &error) {
        qCWarning(lcSupabase).noquote() << "LISTEN connection to" << m_info.describe() << "lost:"
                                        << m_info.redacted(QString::fromUtf8(error.what())).simplified();
        stop();
        m_retry.start();
        return;
    }
    if (m_received > 0)
        emit notified();
}

} // namespace tf
