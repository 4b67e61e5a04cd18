#pragma once

#include "bigquery/catalog.h"
#include "bigquery/expressiontranslator.h"

namespace tf::emu {

// Writing values into a table's columns, shared by INSERT, UPDATE and MERGE: the range variable a table gives a
// statement, the value a column receives (coerced to the column's type, DEFAULT as NULL, a REPEATED column never
// NULL and never holding a NULL element).
class ColumnAssignment
{
public:
    static RangeVariable range(const TableInfo &table, const QString &alias, const QString &sqlAlias);
    // The SQL a column stores for `value`; `message(type)` explains a type that does not fit.
    static QString value(ExpressionTranslator &expressions, const ExprPtr &value, const Scope &scope, const FieldSchema &column,
                         const std::function<QString(const SqlType &)> &message);
    static QString stored(const TypedSql &value, const FieldSchema &column); // after coercion
    static QString defaultValue(const FieldSchema &column);
    // Columns a statement leaves out: NULL (an empty array for REPEATED); a REQUIRED one is an error.
    static QString omitted(const FieldSchema &column, const TableInfo &table, const SqlToken &at);
};

} // namespace tf::emu
