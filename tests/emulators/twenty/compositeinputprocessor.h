#pragma once

#include "twenty/fielddefinition.h"
#include "twenty/nullequivalence.h"

namespace tf::emu {

// Checks and normalises what a client sends for a composite field (FULL_NAME, EMAILS, LINKS, PHONES, ACTOR; §4.1,
// §4.3) the way Twenty's data-arg processor and record transformers do, with their messages.
//
// Sub-fields the client leaves out keep their stored values: Twenty's own partial composite updates are known to
// corrupt data (§9 #14, issue #13211), a bug the stand-in does not copy.
class CompositeInputProcessor
{
public:
    explicit CompositeInputProcessor(const NullEquivalence &nulls);

    QJsonObject defaults(FieldType type) const;
    // The stored composite after `value` was sent for `field`, over `current` (empty: the defaults).
    QJsonObject apply(const FieldDefinition &field, const QJsonValue &value, const QJsonObject &current) const;

private:
    QJsonObject emails(const QString &key, const QJsonObject &sent) const;
    QJsonObject links(const QString &key, const QJsonObject &sent) const;
    QJsonObject phones(const QString &key, const QJsonObject &sent) const;
    QJsonObject actor(const QString &key, const QJsonObject &sent) const;
    QJsonObject plainSubFields(const FieldDefinition &field, const QJsonObject &sent) const;
    QJsonObject finish(FieldType type, QJsonObject merged) const;

    const NullEquivalence &m_nulls;
};

} // namespace tf::emu
