#pragma once

#include "core/fieldregistry.h"

#include <QStringList>

namespace tf {

// Names and DDL of what the connector keeps in the database, all derived from the field registry: the contacts
// table `schema.table`, its change log `schema.table_changelog`, the trigger functions and triggers (§1.4
// "trigger-fed change log"). Identifiers are always quoted.
class SupabaseSchema
{
public:
    // Throws ConnectorError (Configuration) for a name the DDL cannot carry.
    SupabaseSchema(const QString &schema, const QString &table);

    static QString quoteIdent(const QString &identifier);
    static QString columnType(const FieldSpec &spec); // the contract's postgres type without "primary key"
    static QString notifyChannel();                   // truthforge_contacts
    static QString touchTrigger();
    static QString captureTrigger();
    static QString truncateTrigger();

    QString schema() const { return m_schema; }
    QString table() const { return m_table; }
    QString displayName() const;       // schema.table, for messages
    QString qualifiedTable() const;    // "schema"."table"
    QString changeLogName() const;     // table_changelog
    QString qualifiedChangeLog() const;
    // The contract's columns, quoted, comma-separated, each prefixed with `alias.` when one is given.
    QString columnList(const QString &alias = QString()) const;
    // A stable 64-bit key for pg_advisory_lock, distinct per table and purpose.
    qint64 advisoryKey(const QString &purpose) const;

    // Creates what is missing and replaces the functions and triggers, idempotently, RLS on (§1.5).
    QStringList provisionStatements() const;

private:
    QString qualified(const QString &name) const;
    QString touchFunctionSql() const;
    QString captureFunctionSql() const;
    QString truncateFunctionSql() const;

    QString m_schema;
    QString m_table;
};

} // namespace tf
