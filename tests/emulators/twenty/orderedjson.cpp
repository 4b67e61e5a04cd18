#include "twenty/orderedjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf::emu {

QByteArray OrderedJsonObject::serialize(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

OrderedJsonObject &OrderedJsonObject::insert(const QString &key, const QJsonValue &value)
{
    return insertRaw(key, serialize(value));
}

OrderedJsonObject &OrderedJsonObject::insertRaw(const QString &key, const QByteArray &json)
{
    for (auto &member : m_members) {
        if (member.first == key) {
            member.second = json; // a repeated key keeps its first place, as in a JavaScript object
            return *this;
        }
    }
    m_members.append({key, json});
    return *this;
}

QByteArray OrderedJsonObject::toJson() const
{
    QByteArray json = "{";
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (i > 0)
            json += ',';
        json += serialize(m_members.at(i).first) + ':' + m_members.at(i).second;
    }
    return json + '}';
}

} // namespace tf::emu
