#include "twenty/workspace.h"

#include <QJsonArray>

namespace tf::emu {

Workspace::Workspace(const QString &createdAt)
    : m_metadata(createdAt)
{
    reset();
}

const RecordStore &Workspace::store(const QString &objectSingular) const
{
    static const RecordStore none;
    const auto it = m_stores.constFind(objectSingular);
    return it == m_stores.constEnd() ? none : it.value();
}

void Workspace::refreshUniqueKeys(const QString &objectSingular)
{
    if (const ObjectSchema *object = m_metadata.objectBySingular(objectSingular))
        m_stores[objectSingular].setUniqueKeys(object->uniqueKeys());
}

void Workspace::reset()
{
    m_metadata.reset();
    m_stores.clear();
    for (const ObjectSchema &object : m_metadata.objects())
        m_stores.insert(object.nameSingular(), RecordStore(object.uniqueKeys()));
}

QJsonObject Workspace::toJson() const
{
    QJsonObject records;
    for (auto it = m_stores.cbegin(); it != m_stores.cend(); ++it)
        records.insert(it.key(), it.value().toJson());
    return QJsonObject{{QStringLiteral("version"), 1},
                       {QStringLiteral("customFields"), m_metadata.customFields()},
                       {QStringLiteral("records"), records}};
}

void Workspace::load(const QJsonObject &json)
{
    reset();
    m_metadata.restoreCustomFields(json.value(QStringLiteral("customFields")).toArray());
    const QJsonObject records = json.value(QStringLiteral("records")).toObject();
    for (const ObjectSchema &object : m_metadata.objects()) {
        RecordStore &store = m_stores[object.nameSingular()];
        store.setUniqueKeys(object.uniqueKeys());
        store.load(records.value(object.nameSingular()).toArray());
    }
}

} // namespace tf::emu
