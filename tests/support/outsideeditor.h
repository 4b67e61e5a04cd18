#pragma once

#include "core/fieldregistry.h"
#include "core/syncconfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QUrl>

namespace tf::test {

// Edits a contact the way a person or another program would, bypassing our connectors: plain SQL on the SQLite
// file and on Postgres (so change capture must see it), Twenty's REST API with the API key, a BigQuery DML job.
// Text fields only; `column` is the contract name, mapped to each system's own name.
class OutsideEditor {
public:
    OutsideEditor(const SyncConfig &config, QString postgresPassword, QByteArray twentyApiKey);

    // Empty on success, else what failed.
    QString setText(Layer layer, const QString &contactId, const QString &column, const QString &value);
    QString softDelete(Layer layer, const QString &contactId);
    // A person empties Twenty's trash: a plain DELETE destroys the person for good, leaving nothing to read.
    QString destroyInTwenty(const QString &contactId);
    // A person adds a contact by hand in the SQLite file or in Postgres: a new row with an id of its own, the given
    // text columns and emails (first = primary), everything else NULL.
    QString insertContact(Layer layer, const QString &contactId, const QMap<QString, QString> &texts,
                          const QStringList &emails);
    // One bulk statement (an import, a script): `column` of every live contact becomes `prefix` + its contact_id.
    // SQL layers and BigQuery. `changed` receives the number of rows the statement changed.
    QString setTextForAll(Layer layer, const QString &column, const QString &prefix, int *changed = nullptr);

private:
    QString sql(Layer layer, const QString &statement, const QVariantList &bindings, int expectedRows = 1,
                int *changed = nullptr);
    enum class TwentyAction { Patch, SoftDelete, Destroy };
    QString twentyRequest(const QString &contactId, TwentyAction action, const QJsonObject &body = {});
    QString bigqueryDml(const QString &statement, const QJsonArray &parameters, int expectedRows = 1,
                        int *changed = nullptr);

    SyncConfig m_config;
    QString m_postgresPassword;
    QByteArray m_apiKey;
};

} // namespace tf::test
