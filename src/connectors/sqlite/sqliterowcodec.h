#pragma once

#include "core/contact.h"

#include <QSqlRecord>

namespace tf {

// Contract values ⇄ the local layer's columns: lists as JSON arrays, JSON as canonical text, timestamps as
// ISO-8601 UTC with microseconds. Reading is forgiving: text a person typed that does not parse is kept (JSON
// text as a JSON string, a list as its one raw entry) and logged, never dropped.
class SqliteRowCodec
{
public:
    static QVariant toColumn(const FieldSpec &spec, const QVariant &value);
    static QVariant fromColumn(const FieldSpec &spec, const QVariant &column, const QString &contactId);
    static Contact fromRecord(const QSqlRecord &record);
    static Contact fromJsonRow(const QJsonObject &row); // a deleted row kept in the change log
    static QString timestampText(const QDateTime &timestamp);
};

} // namespace tf
