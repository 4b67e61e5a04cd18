#pragma once

#include "twenty/emulatorsettings.h"
#include "twenty/recordevent.h"
#include "twenty/recordfilter.h"
#include "twenty/recordinputprocessor.h"
#include "twenty/workspace.h"

#include <QJsonArray>

namespace tf::emu {

// The writes of the core API on one object (§3), over the workspace's stores: create (with upsert, §3.6),
// update, soft delete, destroy and restore, one record or many. Each write stamps updatedAt and the actors, checks
// unique and foreign keys, and records the events webhooks announce. Atomicity is the caller's (Workspace snapshots).
class RecordService
{
public:
    RecordService(Workspace &workspace, const ObjectSchema &schema, const EmulatorSettings &settings,
                  RequestContext context);

    QList<QJsonObject> create(const QJsonArray &inputs, bool upsert);
    QJsonObject update(const QString &id, const QJsonObject &input);
    QList<QJsonObject> updateMany(const RecordFilter &filter, const QJsonObject &input);
    QJsonObject softDelete(const QString &id);
    QList<QJsonObject> softDeleteMany(const RecordFilter &filter);
    QJsonObject destroy(const QString &id);
    QList<QJsonObject> destroyMany(const RecordFilter &filter);
    QJsonObject restore(const QString &id);
    QList<QJsonObject> restoreMany(const RecordFilter &filter);

    // A record get-by-id finds: soft-deleted rows are hidden (§3.1). Throws 404.
    QJsonObject findVisible(const QString &id) const;

    const QList<RecordEvent> &events() const { return m_events; }

private:
    QJsonObject insert(const QJsonObject &input);
    QJsonObject updateRecord(const QJsonObject &existing, const QJsonObject &input, bool resurrect);
    QString matchingRecord(const QJsonObject &input, const RecordStore &existing) const;
    QJsonObject apiActor() const;
    QJsonObject createdByFor(const QJsonObject &input, const QJsonObject &processed) const;
    double nextPosition();
    void checkForeignKeys(const QJsonObject &record) const;
    void nullifyReferencesTo(const QString &id);
    const QJsonObject &existing(const QString &id) const; // soft-deleted included; throws 404
    void announce(const QString &action, const QJsonObject &record, const QStringList &updatedFields = {});

    Workspace &m_workspace;
    const ObjectSchema &m_schema;
    RecordStore &m_store;
    RecordInputProcessor m_processor;
    RequestContext m_context;
    QList<RecordEvent> m_events;
    std::optional<double> m_lowestPosition;
};

} // namespace tf::emu
