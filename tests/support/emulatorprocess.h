#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QUrl>

namespace tf::test {

// Runs tf-bigquery-emulator or tf-twenty-emulator as the ordinary program it is: on port 0, waiting for its
// "listening on http://127.0.0.1:PORT" line, killed on destruction. Tests drive its admin endpoints through here.
class EmulatorProcess
{
public:
    ~EmulatorProcess();

    // `program` is the binary's file name inside TF_BINARY_DIR (searched recursively) or an absolute path.
    // Returns an empty string on success, else what went wrong.
    QString start(const QString &program, const QStringList &arguments = {});
    void stop();

    QUrl baseUrl() const { return m_baseUrl; }
    QString output() const; // what the emulator printed, for failure messages

    bool setFaults(const QJsonObject &plan);
    QJsonArray requests();
    void clearRequests();
    // Any admin call: POST/GET /__emulator/<path>.
    QJsonObject admin(const QByteArray &method, const QString &path, const QJsonObject &body = {});

    static QString findBinary(const QString &name);

private:
    QByteArray call(const QByteArray &method, const QString &path, const QByteArray &body);

    QProcess m_process;
    QUrl m_baseUrl;
    QByteArray m_output;
};

} // namespace tf::test
