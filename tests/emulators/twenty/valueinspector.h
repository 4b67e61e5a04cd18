#pragma once

#include <QJsonValue>
#include <QString>

namespace tf::emu {

// Renders a JSON value the way Node's util.inspect does, because Twenty's validation messages embed
// inspect(value): 'text', 1, true, null, {}, [ 'a', 1 ], { key: 'v' } (§4.2 message table).
class ValueInspector
{
public:
    static QString inspect(const QJsonValue &value);
    static QString number(double value); // JavaScript's Number#toString
};

} // namespace tf::emu
