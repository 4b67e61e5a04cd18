#pragma once

#include "bigquery/sqlast.h"

namespace tf::emu {

// A recursive-descent parser for the GoogleSQL subset the emulator runs: one SELECT (FROM a table, UNNEST or
// subquery; WHERE, GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET), INSERT, UPDATE, DELETE, TRUNCATE TABLE or MERGE, with
// GoogleSQL's operator precedence. Syntax errors and constructs outside the subset throw GoogleError invalidQuery
// with GoogleSQL's message form ("Syntax error: Unexpected identifier \"SELEC\" at [1:1]").
class SqlParser
{
public:
    static Statement parse(const QString &sql);
};

} // namespace tf::emu
