#pragma once

#include "core/contact.h"

#include <QByteArray>
#include <QStringList>

namespace tf {

// A contact travels to and from PostgreSQL as one JSON document keyed by column name: the server unpacks it with
// json_populate_record(NULL::schema.table, doc) and packs a row with row_to_json. The registry's field names are the
// column names, so nothing here lists fields, and the server does every type conversion (text[] from a JSON array,
// timestamptz from ISO-8601, jsonb embedded). Values are written as the engine holds them, not normalised: the
// layer stores what it was given.
class PgContactCodec
{
public:
    static QByteArray toDocument(const Contact &contact);
    // `document` is row_to_json/to_jsonb output; throws ConnectorError (Internal) naming `where` when it is not a
    // JSON object.
    static Contact fromDocument(const QByteArray &document, const QString &where);
    // A text[] literal for a parameter ($1::text[]): every element quoted, so commas, braces, quotes, backslashes
    // and the word NULL stay text.
    static QString textArrayLiteral(const QStringList &items);
};

} // namespace tf
