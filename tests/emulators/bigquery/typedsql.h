#pragma once

#include "bigquery/sqltype.h"

#include <QString>
#include <QVariant>

namespace tf::emu {

// A translated GoogleSQL expression: the SQLite SQL computing its storage form, and its GoogleSQL type.
struct TypedSql {
    enum class Origin {
        Computed,
        Literal,     // a literal: coerces like GoogleSQL literals do (a STRING literal to DATE, ...)
        Parameter,   // a query parameter: coerces like a literal
        NullLiteral, // an untyped NULL: takes any type
    };

    QString sql;
    SqlType type;
    Origin origin = Origin::Computed;
    QVariant constant;     // the value of a literal or parameter
    bool required = false; // a REQUIRED column: a result column keeps the mode
    bool emptyArray = false; // [] without a declared type: becomes an empty array of whatever type is wanted
    QString name;          // the result column name it gives (a column or field name), or empty

    bool isConstant() const { return origin == Origin::Literal || origin == Origin::Parameter; }
};

} // namespace tf::emu
