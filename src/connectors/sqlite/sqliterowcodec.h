#pragma once

#include "core/contact.h"

class QSqlQuery;

namespace tf {

// Contract values ⇄ the local layer's columns: lists as JSON arrays, JSON as canonical text, timestamps as
// ISO-8601 UTC with microseconds, NaN as NULL. Reading is forgiving, because a person may have typed anything
// in the sqlite3 shell: a value that does not parse is kept where its kind can hold it (JSON text as a JSON
// string, a list as its one raw entry) and always logged with the contact and the field, never dropped silently.
class SqliteRowCodec
{
public:
    static QVariant toColumn(const FieldSpec &spec, const QVariant &value);
    static QVariant fromColumn(const FieldSpec &spec, const QVariant &column, const QString &contactId);
    // The current row of a query selecting SqliteSchema::columnList().
    static Contact fromRow(const QSqlQuery &query);
    // A deleted row as the change log keeps it (json_object of every column).
    static Contact fromJsonRow(const QJsonObject &row);
};

} // namespace tf
