#pragma once

#include <QProcess>
#include <QUrl>

namespace tf {

// One of our stand-in servers (tf-bigquery-emulator, tf-twenty-emulator) run as the ordinary program it is: on
// port 0, waiting for its "listening on http://127.0.0.1:PORT" line, terminated on destruction.
class StandInProcess
{
public:
    ~StandInProcess();

    // Empty on success, else what went wrong (binary not found, exited, never listened).
    QString start(const QString &program, const QStringList &arguments = {});
    void stop();
    QUrl baseUrl() const { return m_baseUrl; }
    QString output() const { return QString::fromUtf8(m_output); }

    // Looks next to the running program, under TF_EMULATOR_DIR, and in a build tree above it.
    static QString findProgram(const QString &name);

private:
    QProcess m_process;
    QUrl m_baseUrl;
    QByteArray m_output;
};

} // namespace tf
