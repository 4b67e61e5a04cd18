#pragma once

#include "bigquery/sqllexer.h"
#include "bigquery/sqltype.h"

#include <QList>
#include <QStringList>
#include <optional>

namespace tf::emu {

struct ScopeColumn {
    QString name;
    SqlType type;
    QString sql; // how SQLite reaches it: "s0"."name"
    bool required = false;
};

// A name a FROM item introduces: a table or subquery with columns, or an UNNEST of scalars whose alias is the value.
struct RangeVariable {
    QString alias;
    QList<ScopeColumn> columns;
    std::optional<ScopeColumn> value;
};

// The names visible to an expression, resolved with GoogleSQL's rules: a range variable's alias first, then
// column names across all range variables (ambiguous when in more than one).
class Scope
{
public:
    void add(const RangeVariable &range) { m_ranges.append(range); }
    const QList<RangeVariable> &ranges() const { return m_ranges; }

    struct Resolution {
        ScopeColumn column;
        int consumed = 1; // path parts used; the rest are struct field accesses
    };
    // Throws GoogleError invalidQuery ("Unrecognized name: x at [1:8]", "Column name x is ambiguous at [1:8]").
    Resolution resolve(const QStringList &path, const SqlToken &at) const;

private:
    QList<RangeVariable> m_ranges;
};

} // namespace tf::emu
