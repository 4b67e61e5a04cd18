#pragma once

#include <QString>

struct sqlite3;

namespace tf::emu {

// The GoogleSQL functions SQLite lacks, registered on the QSQLITE connection's handle (sqlite3_create_function):
// TO_JSON_STRING, CAST, ARRAY/STRUCT construction and access, checked division, SHA256/MD5/..., FARM_FINGERPRINT,
// base64/hex, Unicode LOWER/UPPER, JSON_VALUE/JSON_QUERY, REGEXP_CONTAINS, GENERATE_UUID, and the write check of
// REPEATED columns. Each takes type numbers from TypeRegistry where it needs the GoogleSQL type.
//
// A function that fails (division by zero, a bad cast) raises an SQLite error whose message starts with
// errorPrefix(); SqliteDatabase turns those into BigQuery's invalidQuery.
class SqliteFunctions
{
public:
    static void install(sqlite3 *handle);
    static QString errorPrefix();
};

} // namespace tf::emu
