#pragma once

#include "twenty/orderedjson.h"

#include <QJsonObject>

namespace tf::emu {

// Core API cursors (§2.2, cursors.util): base64 of JSON.stringify({...orderByValues, id}).
class CursorCodec
{
public:
    static QString encode(const OrderedJsonObject &values);
    // The cursor's values; throws ApiError 400 "Invalid cursor: <cursor>" when it is no base64 JSON object.
    static QJsonObject decode(const QString &cursor);
};

} // namespace tf::emu
