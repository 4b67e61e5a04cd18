#pragma once

#include "core/contact.h"

#include <QJsonObject>

namespace tf {

// Contact ⇄ JSON object keyed by contract field name. The form of base snapshots, journal payloads,
// conflict values and `tfsync verify --json`. Timestamps are ISO-8601 UTC with milliseconds; JSON fields
// are embedded as JSON; NULL is JSON null.
class ContactCodec
{
public:
    static QJsonObject toJson(const Contact &contact);
    static Contact fromJson(const QJsonObject &object);
    static QJsonValue valueToJson(const FieldSpec &spec, const QVariant &value);
    static QVariant valueFromJson(const FieldSpec &spec, const QJsonValue &value);
};

} // namespace tf
