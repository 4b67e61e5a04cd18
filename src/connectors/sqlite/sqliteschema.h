#pragma once

#include "core/connector.h"

#include <QSqlDatabase>

namespace tf {

// The local layer's schema, generated from the field registry: the `contacts` table, the change log its triggers
// fill, and the control row the sync raises while it writes, so that its own writes are told apart from everyone
// else's (SQLite has one writer at a time, so no outside write can interleave with a raised flag).
class SqliteSchema
{
public:
    static constexpr const char *kTable = "contacts";
    static constexpr const char *kChangeLog = "contacts_changelog";

    // The declared SQLite type of a contract column: "TEXT" or "REAL" (the contract's notes in brackets say
    // how the TEXT is laid out, e.g. a JSON array).
    static QString declaredType(const FieldSpec &spec);
    // Now, as the contract writes local timestamps: ISO-8601 UTC with microseconds.
    static QString nowExpression();

    // Creates what is missing and adds missing contract columns to an existing table. Idempotent.
    static void provision(QSqlDatabase &db);
    // Human-readable problems of the table against the contract; empty when it matches.
    static QStringList schemaProblems(QSqlDatabase &db);
    static bool changeCaptureInstalled(QSqlDatabase &db);
};

} // namespace tf
