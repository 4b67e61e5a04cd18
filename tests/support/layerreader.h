#pragma once

#include "core/layer.h"
#include "core/syncconfig.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <QStringList>

namespace tf::test {

// One stored row (a person in Twenty) as the system itself holds it. Text fields only; NULL reads as "" because
// Twenty treats "" and null as the same value (twenty-rest.md §4.3).
struct LayerRow {
    QString contactId;
    bool deleted = false;
    QHash<QString, QString> values; // contract field name → text
};

// Everything one layer holds, trash included: what a checker compares edits with.
struct LayerSnapshot {
    Layer layer = Layer::Local;
    QString error; // empty when the read worked
    QList<LayerRow> rows;

    static const QString kNoRow; // value() of a contact the layer does not hold

    const LayerRow *row(const QString &contactId) const; // the first row with that id
    int occurrences(const QString &contactId) const;
    int liveRows() const;
    QString value(const QString &contactId, const QString &field) const;
    // Ids held more than once, and ids not in `known` (rows nobody expected, e.g. a contact created twice).
    QStringList repeatedIds() const;
    QStringList unknownIds(const QSet<QString> &known) const;
};

// Reads every row of a layer from outside, not through our connectors: SQL on the SQLite file and Postgres, REST
// on Twenty (live and trashed people), a query job on BigQuery. `fields` are contract names of text fields.
class LayerReader {
public:
    LayerReader(const SyncConfig &config, QString postgresPassword, QByteArray twentyApiKey);

    LayerSnapshot read(Layer layer, const QStringList &fields) const;
    QMap<Layer, LayerSnapshot> readAll(const QStringList &fields) const;

private:
    LayerSnapshot readSql(Layer layer, const QStringList &fields) const;
    LayerSnapshot readTwenty(const QStringList &fields) const;
    LayerSnapshot readBigQuery(const QStringList &fields) const;

    SyncConfig m_config;
    QString m_postgresPassword;
    QByteArray m_apiKey;
};

} // namespace tf::test
