#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace tf {

// Builds values of Twenty's `filter` query parameter (twenty-rest.md §2.1): `field[comparator]:value`, comma lists,
// and(...), or(...), quoted strings. The grammar has no escape: a quote, comma, bracket or parenthesis inside a
// value breaks it. Such a value is matched with a `like` pattern in which each of those characters is the `_`
// wildcard, so the filter may return more rows than asked for: callers always re-check the exact value.
class TwentyFilter
{
public:
    // The one filter term matching `value` in `field` (eq, or like for a value the grammar cannot carry).
    static QString equals(const QString &field, const QString &value);
    // Rows whose `field` is one of `values` (one `in` list for the values the grammar can carry, like terms for
    // the rest).
    static QString anyOf(const QString &field, const QStringList &values);
    // `field[gte]:"<ISO-8601 UTC, ms>"`: Twenty compares at millisecond precision (§2.1, §9 #19).
    static QString atLeast(const QString &field, const QDateTime &when);
    static QString all(const QStringList &terms);    // and(...)
    static QString either(const QStringList &terms); // or(...)
    // Soft-deleted rows are hidden unless the filter mentions deletedAt (§2.1); this mention keeps every row.
    static QString includingDeleted(const QString &filter);

    // Filters for the rows whose fields hold any of the given values (an or of anyOf terms), as many as it takes
    // for each to stay within `budget` characters once URL-encoded: a GET's request line has to fit the server's
    // header limit (8 KiB behind a default nginx). Empty values are left out; no values, no filters.
    static QStringList anyOfChunked(const QList<QPair<QString, QStringList>> &valuesByField, int budget = 6000);

    static bool carriesVerbatim(const QString &value);
};

} // namespace tf
