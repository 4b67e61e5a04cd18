#pragma once

#include "core/fieldregistry.h"
#include "core/syncconfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

namespace tf::test {

// Edits a contact the way a person or another program would, bypassing our connectors: plain SQL on the SQLite
// file and on Postgres (so change capture must see it), Twenty's REST API with the API key, a BigQuery DML job.
// Text fields only; `column` is the contract name, mapped to each system's own name.
class OutsideEditor
{
public:
    OutsideEditor(const SyncConfig &config, QString postgresPassword, QByteArray twentyApiKey);

    // Empty on success, else what failed.
    QString setText(Layer layer, const QString &contactId, const QString &column, const QString &value);
    QString softDelete(Layer layer, const QString &contactId);
    // A person empties Twenty's trash: a plain DELETE destroys the person for good, leaving nothing to read.
    QString destroyInTwenty(const QString &contactId);

private:
    QString sql(Layer layer, const QString &statement, const QVariantList &bindings);
    enum class TwentyAction { Patch, SoftDelete, Destroy };
    QString twentyRequest(const QString &contactId, TwentyAction action, const QJsonObject &body = {});
    QString bigqueryDml(const QString &statement, const QJsonArray &parameters);

    SyncConfig m_config;
    QString m_postgresPassword;
    QByteArray m_apiKey;
};

} // namespace tf::test
