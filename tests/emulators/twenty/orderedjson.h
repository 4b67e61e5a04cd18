#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>

namespace tf::emu {

// A JSON object written with its keys in insertion order, as JavaScript's JSON.stringify writes them. QJsonObject
// sorts keys, but Twenty's cursors (§2.2) and webhook bodies (§7.3) are compared and signed byte for byte.
class OrderedJsonObject
{
public:
    OrderedJsonObject &insert(const QString &key, const QJsonValue &value);
    OrderedJsonObject &insertRaw(const QString &key, const QByteArray &json); // a value already serialised
    QByteArray toJson() const;

    static QByteArray serialize(const QJsonValue &value); // compact, like JSON.stringify

private:
    QList<QPair<QString, QByteArray>> m_members;
};

} // namespace tf::emu
