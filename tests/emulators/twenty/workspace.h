#pragma once

#include "twenty/metadataregistry.h"
#include "twenty/recordstore.h"

#include <QHash>

namespace tf::emu {

// Everything a Twenty workspace holds that the stand-in emulates: the data model and one record store per object.
// Stores are values, so a snapshot taken before a request and put back after a failure makes every request
// atomic (§3.5: one bad record in a batch writes nothing).
class Workspace
{
public:
    using Snapshot = QHash<QString, RecordStore>;

    explicit Workspace(const QString &createdAt);

    MetadataRegistry &metadata() { return m_metadata; }
    const MetadataRegistry &metadata() const { return m_metadata; }
    RecordStore &store(const QString &objectSingular) { return m_stores[objectSingular]; }
    const RecordStore &store(const QString &objectSingular) const;

    // Re-reads an object's unique fields into its store's indexes (after a metadata change); throws ApiError 400
    // when stored rows already collide.
    void refreshUniqueKeys(const QString &objectSingular);

    Snapshot snapshot() const { return m_stores; }
    void restore(const Snapshot &snapshot) { m_stores = snapshot; }

    void reset(); // no records, no custom fields
    QJsonObject toJson() const;
    void load(const QJsonObject &json);

private:
    MetadataRegistry m_metadata;
    Snapshot m_stores;
};

} // namespace tf::emu
