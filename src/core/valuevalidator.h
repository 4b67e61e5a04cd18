#pragma once

#include "core/contact.h"
#include "core/layer.h"

namespace tf {

// A value of one contact, as one layer holds it, that not every layer can store exactly.
struct RefusedValue {
    Layer layer = Layer::Local; // where the value was read
    QString field;
    QString reason; // "contains a NUL byte, which PostgreSQL text cannot store"

    // "local: given_name contains a NUL byte, which PostgreSQL text cannot store"
    QString message() const;
    friend bool operator==(const RefusedValue &a, const RefusedValue &b)
    {
        return a.layer == b.layer && a.field == b.field && a.reason == b.reason;
    }
};

// Whether every value of a contact can be carried exactly to every layer. One check, driven by the field registry's
// kinds, for every layer's values: a contact that fails it is refused whole where it was read (SyncEngine), so no
// layer ever stores a truncated, replaced or NULLed value while another keeps the original. The rules, each the
// narrowest layer's:
//  - U+0000 in text, a list entry or a JSON string: PostgreSQL text and jsonb cannot store it (and BigQuery's
//    stand-ins and C clients cut strings there), so Supabase and Twenty, which runs on PostgreSQL, would refuse it;
//  - a NaN or infinite FLOAT: JSON has no such number, so Twenty's API cannot carry it (twenty-rest.md §4.2), while
//    BigQuery, PostgreSQL and SQLite would each keep it differently (SQLite stores NaN as NULL);
//  - size: one BigQuery MERGE request carries a contact as query parameters and holds at most 10 MB and 10,000
//    parameters (bigquery-rest.md §2.5); every other layer takes far more (PostgreSQL 1 GB a text value, SQLite
//    1 GB, Twenty's JSON body 100 MB), so these are the limits of a contact everywhere;
//  - what the reading connector marked unreadable (Contact::unreadable: text that is not UTF-8, ...).
class ValueValidator {
public:
    // The bytes a contact's values may take as BigQuery's JSON parameters (escaped): 10 MB per request less the
    // statement, the parameter envelope of every field and entry, and headroom (MergeBatcher keeps to 9 MB).
    static constexpr qint64 kMaxContactBytes = 8 * 1024 * 1024;
    // List entries (tags, emails, phones together): each is a query parameter of its own, and a request holds
    // 10,000 less the contact's other fields and the write's condition.
    static constexpr int kMaxListEntries = 9000;

    // Every refused value of `contact` as `layer` holds it, in registry order (the connector's marks first); empty
    // when the contact can be carried.
    static QList<RefusedValue> refusals(const Contact &contact, Layer layer);
    // Why one value cannot be carried exactly, or empty when it can (size aside: that is the whole contact's).
    static QString problem(const FieldSpec &spec, const QVariant &value);
    // The bytes the value takes as a JSON string parameter (quotes and escapes included).
    static qint64 carriedBytes(const FieldSpec &spec, const QVariant &value);
};

} // namespace tf
