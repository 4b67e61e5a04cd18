#pragma once

#include "bigquery/fieldschema.h"

#include <QList>
#include <QVariantList>
#include <optional>

namespace tf::emu {

// dmlStats of a DML job (§1.5).
struct DmlStats {
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 deleted = 0;

    qint64 affected() const { return inserted + updated + deleted; }
};

// What a statement produced: a SELECT's schema and rows (storage form), or a DML statement's counts.
struct QueryOutcome {
    QString statementType; // SELECT, INSERT, UPDATE, DELETE, MERGE, TRUNCATE_TABLE (JobStatistics2.statementType)
    QList<FieldSchema> schema;
    QList<QVariantList> rows;
    std::optional<DmlStats> dml;
    qint64 bytesProcessed = 0;
};

} // namespace tf::emu
