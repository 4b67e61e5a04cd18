#pragma once

#include "core/fieldregistry.h"

#include <QMap>
#include <QStringList>

namespace tf {

class SqliteDatabase;

// The local layer's schema, generated from the field registry: the `contacts` table, the change log its triggers
// fill for every writer (the app may be closed while a person edits the file), and the one-row control table
// sync_control:
//  - `applying` is raised by the sync inside its own write transaction, so the triggers log those writes as
//    origin 'sync' and the sync does not read them back as changes (SQLite has one writer at a time, so no
//    outside write can interleave with the raised flag);
//  - `stamping` is raised while a trigger bumps updated_at. The bump is an UPDATE of its own, and with recursive
//    triggers off SQLite still fires every *other* trigger for it, so without the flag an outside edit would be
//    logged twice.
class SqliteSchema
{
public:
    // The declared SQLite type of a contract column: the contract's word before its note in brackets
    // ("TEXT (JSON array)" is declared TEXT and holds a JSON array).
    static QString declaredType(const FieldSpec &spec);
    // Every contract column, quoted, in registry order.
    static QString columnList();
    // The columns a read selects, in registry order (SqliteRowCodec::fromRow): those stored as text come as their
    // raw bytes (CAST AS BLOB), because the driver's own UTF-16 conversion would mend bytes that are not UTF-8
    // without a word; the codec decodes them strictly.
    static QString selectList();
    // Now as the contract writes local timestamps: ISO-8601 UTC with microseconds (SQLite knows milliseconds).
    static QString nowExpression();

    // Creates what is missing, adds missing contract columns to an existing table and replaces triggers that
    // differ from this version's. Idempotent.
    static void provision(SqliteDatabase &db);
    // The table against the contract, one sentence per problem; empty when it matches.
    static QStringList schemaProblems(SqliteDatabase &db);
    // The triggers and the control row, one sentence per problem; empty when change capture is complete.
    static QStringList changeCaptureProblems(SqliteDatabase &db);

private:
    static QMap<QString, QString> triggers(); // name → CREATE TRIGGER statement
    static QMap<QString, QString> columns(SqliteDatabase &db, const QString &table); // name → declared type
    static bool contactIdIsUnique(SqliteDatabase &db);
};

} // namespace tf
