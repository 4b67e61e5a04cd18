#include "support/emulatorprocess.h"

#include "support/emulatoradmin.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

namespace tf::test {

EmulatorProcess::~EmulatorProcess()
{
    stop();
}

QString EmulatorProcess::findBinary(const QString &name)
{
    if (QFileInfo(name).isAbsolute())
        return name;
    QDirIterator it(qEnvironmentVariable("TF_BINARY_DIR"), {name}, QDir::Files | QDir::Executable,
                    QDirIterator::Subdirectories);
    return it.hasNext() ? it.next() : QString();
}

QString EmulatorProcess::start(const QString &program, const QStringList &arguments)
{
    const QString binary = findBinary(program);
    if (binary.isEmpty())
        return QStringLiteral("%1 not found under TF_BINARY_DIR=%2")
            .arg(program, qEnvironmentVariable("TF_BINARY_DIR"));
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(binary, QStringList{QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("%1 did not start: %2").arg(binary, m_process.errorString());
    static const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20000) {
        m_process.waitForReadyRead(200);
        m_output += m_process.readAllStandardOutput();
        m_output += m_process.readAllStandardError();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            return {};
        }
        if (m_process.state() != QProcess::Running)
            return QStringLiteral("%1 exited before listening: %2").arg(binary, QString::fromUtf8(m_output));
    }
    return QStringLiteral("%1 printed no 'listening on' line within 20 s: %2").arg(binary, QString::fromUtf8(m_output));
}

void EmulatorProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString EmulatorProcess::output() const
{
    return QString::fromUtf8(m_output);
}

QByteArray EmulatorProcess::call(const QByteArray &method, const QString &path, const QByteArray &body)
{
    return EmulatorAdmin(m_baseUrl).raw(method, path, body);
}

bool EmulatorProcess::setFaults(const QJsonObject &plan)
{
    return !call("POST", QStringLiteral("faults"), QJsonDocument(plan).toJson()).isEmpty();
}

QJsonArray EmulatorProcess::requests()
{
    return QJsonDocument::fromJson(call("GET", QStringLiteral("requests"), {})).array();
}

void EmulatorProcess::clearRequests()
{
    call("DELETE", QStringLiteral("requests"), {});
}

QJsonObject EmulatorProcess::admin(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    return QJsonDocument::fromJson(call(method, path, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson()))
        .object();
}

} // namespace tf::test
