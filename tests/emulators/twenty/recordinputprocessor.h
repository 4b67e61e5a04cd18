#pragma once

#include "twenty/compositeinputprocessor.h"
#include "twenty/nullequivalence.h"
#include "twenty/objectschema.h"

namespace tf::emu {

// Twenty's data-arg processor for one object (§4.2, data-arg-processor.service): every key a client writes must
// be a field (or a relation's join column) of the object, and every value must have the shape its type stores;
// values come out normalised (§4.3). Failures are 400s with Twenty's messages.
class RecordInputProcessor
{
public:
    RecordInputProcessor(const ObjectSchema &schema, EmptyText mode);

    // Every active field at its default value: what a created record starts from.
    QJsonObject defaults() const;
    // `base` with `input` written over it.
    QJsonObject apply(const QJsonObject &input, QJsonObject base) const;

private:
    QJsonValue scalar(const FieldDefinition &field, const QJsonValue &value) const;
    QJsonValue defaultOf(const FieldDefinition &field) const;

    const ObjectSchema &m_schema;
    NullEquivalence m_nulls;
    CompositeInputProcessor m_composites;
};

} // namespace tf::emu
