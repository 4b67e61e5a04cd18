#pragma once

#include "bigquery/sqltype.h"

#include <QJsonValue>
#include <QVariant>

namespace tf::emu {

// ARRAY and STRUCT values, and TO_JSON_STRING.
//
// An ARRAY or STRUCT is stored as JSON text (one SQLite TEXT cell, which SQLite's json functions can read): an ARRAY
// as a JSON array of its elements, a STRUCT as a JSON array of its members in declaration order. Inside, each value
// has its "nested form": INT64, TIMESTAMP, FLOAT64, NUMERIC (its key) and the text types as JSON strings (64-bit
// integers stay exact whatever the reader), BOOL as true/false, BYTES as base64, NULL as null.
class ValueCodec
{
public:
    static QJsonValue nested(const QVariant &storage, const SqlType &type);
    static QVariant fromNested(const QJsonValue &nested, const SqlType &type);
    static QJsonArray composite(const QVariant &storage); // the parsed JSON text of an ARRAY or STRUCT
    static QString compositeText(const QJsonArray &nested);

    // TO_JSON_STRING(value): numbers bare, TIMESTAMP as "…Z", JSON as itself, STRUCT as an object (GoogleSQL JSON
    // functions doc). GEOGRAPHY is refused by the translator.
    static QString toJsonString(const QVariant &storage, const SqlType &type);
    static QString jsonQuote(const QString &text);
};

} // namespace tf::emu
