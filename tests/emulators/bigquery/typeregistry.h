#pragma once

#include "bigquery/sqltype.h"

namespace tf::emu {

// Numbers for types, so SQL handed to SQLite can tell a user function (TO_JSON_STRING, CAST, ARRAY and STRUCT
// constructors) the GoogleSQL type of its argument as a plain integer. Process-wide; a type keeps its number.
class TypeRegistry
{
public:
    static int idOf(const SqlType &type);
    static SqlType type(int id);
};

} // namespace tf::emu
