#pragma once

#include "core/contact.h"

#include <optional>

namespace tf {

// The canonical form every layer's values are compared in. Each rule mirrors what some layer does to a value
// on its own, so that a value a server only rewrote never looks like a change (twenty-rest.md §4.3):
//  - text: "" equals NULL (Twenty turns "" into NULL, older builds the other way round);
//  - emails: lowercased, full-width dots and a trailing dot folded, IDN domains in punycode;
//  - phones: E.164 ("+" and digits only; "00" international prefix becomes "+");
//  - timestamps: UTC, truncated to milliseconds (Twenty keeps ms);
//  - floats: numbers; NaN and infinities stay themselves (never NULL), so a diff shows them and a hash tells them
//    from NULL; JSON, hence Twenty, cannot carry them, so ValueValidator refuses them where they are read;
//  - JSON: parsed, object keys sorted; JSON null equals NULL;
//  - arrays keep their order; an empty array equals NULL (BigQuery returns NULL arrays as []).
class ContactNormalizer
{
public:
    static Contact normalized(const Contact &contact);
    static QVariant normalizedValue(const FieldSpec &spec, const QVariant &value);

    // A stable text for a normalized value: used for hashing, diffs and display. NULL is an empty QString.
    static QString canonicalText(const FieldSpec &spec, const QVariant &value);
    static QString canonicalTextOfNormalized(const FieldSpec &spec, const QVariant &normalized);
    static bool valuesEqual(const FieldSpec &spec, const QVariant &a, const QVariant &b);

    static QString normalizedEmail(const QString &email);
    static QString normalizedPhone(const QString &phone);
    static QDateTime normalizedTimestamp(const QDateTime &timestamp);
    // A FLOAT value written as text: a number, or NaN, Infinity, -Infinity (BigQuery's and PostgreSQL's spellings).
    static std::optional<double> parseFloat(const QString &text);
    // Shortest round-trip text of a number; NaN, Infinity, -Infinity as BigQuery writes them.
    static QString floatText(double number);
    static QDateTime parseTimestamp(const QString &text);
    static QString canonicalJson(const QJsonValue &value);
    static QString timestampText(const QDateTime &timestamp); // ISO-8601 UTC with milliseconds
};

} // namespace tf
