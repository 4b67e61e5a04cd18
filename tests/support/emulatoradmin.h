#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

namespace tf::test {

// The admin endpoint both stand-ins share (/__emulator/...), reached by URL alone: for an emulator this process
// started (EmulatorProcess) or one someone else started (DemoStand's). Fault plans are FaultInjector's JSON shape.
class EmulatorAdmin {
public:
    explicit EmulatorAdmin(QUrl baseUrl = {});

    bool setFaults(const QJsonObject &plan); // replaces the plan; {} clears it
    QJsonObject faults();
    QJsonArray requests(); // the request log: method, path, query, status
    void clearRequests();
    // How many requests of the log match `method` (empty = any) and contain `pathContains` in their path.
    int countRequests(const QByteArray &method, const QString &pathContains = {});
    // Any admin call: GET/POST/DELETE /__emulator/<path>.
    QJsonObject call(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    QByteArray raw(const QByteArray &method, const QString &path, const QByteArray &body);

    QUrl baseUrl() const { return m_baseUrl; }

private:
    QUrl m_baseUrl;
};

} // namespace tf::test
