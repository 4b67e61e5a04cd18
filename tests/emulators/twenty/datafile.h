#pragma once

#include <QString>

namespace tf::emu {

class Workspace;
class WebhookRegistry;

// --data FILE: the workspace (records, custom fields) and the webhooks as one JSON file, read at start and
// rewritten atomically after every write, so a restarted stand-in holds what it held.
class DataFile
{
public:
    explicit DataFile(QString path);

    bool enabled() const { return !m_path.isEmpty(); }
    // A missing file is an empty workspace; false and *error for an unreadable or malformed one.
    bool load(Workspace &workspace, WebhookRegistry &webhooks, QString *error) const;
    bool save(const Workspace &workspace, const WebhookRegistry &webhooks, QString *error) const;

private:
    QString m_path;
};

} // namespace tf::emu
