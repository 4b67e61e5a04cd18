#pragma once

#include "bigquery/sqltype.h"

#include <QVariant>
#include <optional>

namespace tf::emu {

// CAST and SAFE_CAST between GoogleSQL types on storage values (GoogleSQL conversion rules), and the implicit
// coercions the translator applies (INT64 → FLOAT64, a STRING literal → DATE, ...).
class ValueCaster
{
public:
    static bool allowed(const SqlType &from, const SqlType &to);
    // The converted value, or nullopt with *error set to GoogleSQL's message ("Bad int64 value: abc").
    static std::optional<QVariant> cast(const QVariant &value, const SqlType &from, const SqlType &to, QString *error);
    // Storage as SQLite handed it back, in the exact form of `type` (a FLOAT64 computed as integer 1 becomes 1.0).
    static QVariant normalized(const QVariant &raw, const SqlType &type);
};

} // namespace tf::emu
