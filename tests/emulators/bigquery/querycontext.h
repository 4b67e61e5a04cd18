#pragma once

#include "bigquery/sqltype.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVariant>

namespace tf::emu {

// A query parameter decoded from the request (§1.1): its type and its value in storage form.
struct QueryParameter {
    QString name;
    SqlType type;
    QVariant value;
};

// What a statement is translated against besides the catalog.
struct QueryContext {
    QString project;         // the job's project: `dataset.table` lives here
    QString defaultProject;  // defaultDataset, for bare `table`
    QString defaultDataset;
    QString location = QStringLiteral("US");
    QHash<QString, QueryParameter> named; // lower-cased names: GoogleSQL parameter names ignore case
    QList<QueryParameter> positional;
    qint64 nowMicros = 0;    // CURRENT_TIMESTAMP(): one value for the whole statement
};

} // namespace tf::emu
