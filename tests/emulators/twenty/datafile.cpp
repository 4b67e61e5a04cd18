#include "twenty/datafile.h"

#include "twenty/apierror.h"
#include "twenty/webhookregistry.h"
#include "twenty/workspace.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace tf::emu {

DataFile::DataFile(QString path)
    : m_path(std::move(path))
{
}

bool DataFile::load(Workspace &workspace, WebhookRegistry &webhooks, QString *error) const
{
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!json.isObject()) {
        *error = QStringLiteral("%1 is not a workspace file: %2").arg(m_path, parseError.errorString());
        return false;
    }
    try {
        workspace.load(json.object().value(QStringLiteral("workspace")).toObject());
    } catch (const ApiError &failure) {
        *error = QStringLiteral("%1 holds inconsistent records: %2").arg(m_path, failure.message());
        return false;
    }
    webhooks.load(json.object().value(QStringLiteral("webhooks")).toArray());
    return true;
}

bool DataFile::save(const Workspace &workspace, const WebhookRegistry &webhooks, QString *error) const
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QJsonObject json{{QStringLiteral("workspace"), workspace.toJson()},
                           {QStringLiteral("webhooks"), webhooks.toJson()}};
    file.write(QJsonDocument(json).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace tf::emu
