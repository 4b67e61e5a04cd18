#pragma once

#include "core/contact.h"

class QSqlQuery;

namespace tf {

// Contract values ⇄ the local layer's columns: lists as JSON arrays, JSON as canonical text, timestamps as
// ISO-8601 UTC with microseconds. Reading is forgiving where nothing is lost, because a person may have typed
// anything in the sqlite3 shell: a value that does not parse is kept where its kind can hold it (JSON text as a
// JSON string, a list as its one raw entry) and logged with the contact and the field. Where its kind cannot hold
// it (text that is not UTF-8, a number or a timestamp that is none) the value is marked unreadable instead
// (Contact::markUnreadable), and the engine refuses the contact rather than carry NULL or mended text.
class SqliteRowCodec
{
public:
    static QVariant toColumn(const FieldSpec &spec, const QVariant &value);
    // `unreadable` (if given) receives why the column cannot be read as its kind; the value is then NULL.
    static QVariant fromColumn(const FieldSpec &spec, const QVariant &column, const QString &contactId,
                               QString *unreadable = nullptr);
    // The current row of a query selecting SqliteSchema::selectList(): text columns as raw bytes.
    static Contact fromRow(const QSqlQuery &query);
    // A deleted row as the change log keeps it (json_object of every column).
    static Contact fromJsonRow(const QJsonObject &row);
};

} // namespace tf
