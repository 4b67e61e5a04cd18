#pragma once

#include "core/contact.h"

namespace tf::bench {

// The raw engines our layers are measured against: the fastest plain way each database takes the same rows.
// Both write the contract's 31 columns as text, the way the spec's measurements did (supabase-and-limits.md §2.3).
double sqliteInsertLoopSeconds(const QString &file, const QList<Contact> &contacts, QString *error);
double postgresCopySeconds(const QString &conninfo, const QList<Contact> &contacts, QString *error);

} // namespace tf::bench
