#pragma once

#include <QString>

namespace tf::emu {

// UUID checks as Twenty makes them (twenty-shared isValidUuid: versions 1 to 5, RFC variant, §3.2 and §9 #18), and
// as Postgres parses them (any 8-4-4-4-12 hex text).
class Uuids
{
public:
    static bool isValid(const QString &text);
    static bool isPostgresUuid(const QString &text);
    static QString create(); // a fresh v4, lower case
};

} // namespace tf::emu
