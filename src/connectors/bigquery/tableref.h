#pragma once

#include <QString>

namespace tf {

struct BigQuerySettings;

// project.dataset.table of the canonical table. Identifiers cannot be query parameters (§2.5), so they are checked
// here once and quoted with backticks in every statement.
struct TableRef {
    QString project;
    QString dataset;
    QString table;

    // Throws ConnectorError (Configuration) naming the setting that is empty or not a valid BigQuery name.
    static TableRef fromSettings(const BigQuerySettings &settings, const QString &project);

    QString sql() const;     // `project.dataset.table`
    QString display() const; // project:dataset.table, as BigQuery's own messages name it (§3.3)
};

} // namespace tf
