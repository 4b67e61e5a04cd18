#include "connectors/demo/standinprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>

namespace tf {

StandInProcess::~StandInProcess()
{
    stop();
}

QString StandInProcess::findProgram(const QString &name)
{
    if (QFileInfo(name).isAbsolute())
        return QFileInfo(name).isExecutable() ? name : QString();
    QStringList roots;
    const QString override = qEnvironmentVariable("TF_EMULATOR_DIR");
    if (!override.isEmpty())
        roots << override;
    const QString appDir = QCoreApplication::applicationDirPath();
    roots << appDir;
    // In a build tree the program sits in src/cli or src/app; the emulators in tests/emulators/*.
    roots << QDir(appDir).absoluteFilePath(QStringLiteral("../../tests/emulators"));
    if (!qEnvironmentVariableIsEmpty("TF_BINARY_DIR"))
        roots << qEnvironmentVariable("TF_BINARY_DIR");
    for (const QString &root : std::as_const(roots)) {
        if (QFileInfo(root + QLatin1Char('/') + name).isExecutable())
            return root + QLatin1Char('/') + name;
        QDirIterator it(root, {name}, QDir::Files | QDir::Executable, QDirIterator::Subdirectories);
        if (it.hasNext())
            return it.next();
    }
    return {};
}

QString StandInProcess::start(const QString &program, const QStringList &arguments)
{
    const QString binary = findProgram(program);
    if (binary.isEmpty())
        return QStringLiteral("%1 not found next to %2 (set TF_EMULATOR_DIR)").arg(program, QCoreApplication::applicationDirPath());
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(binary, QStringList{QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("%1 did not start: %2").arg(binary, m_process.errorString());
    static const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20000) {
        m_process.waitForReadyRead(200);
        m_output += m_process.readAll();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            return {};
        }
        if (m_process.state() != QProcess::Running)
            return QStringLiteral("%1 exited before listening: %2").arg(binary, QString::fromUtf8(m_output));
    }
    return QStringLiteral("%1 printed no 'listening on' line within 20 s").arg(binary);
}

void StandInProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace tf
