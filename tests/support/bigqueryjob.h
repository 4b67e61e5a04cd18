#pragma once

#include "core/syncconfig.h"

#include <QJsonArray>
#include <QJsonObject>

namespace tf::test {

// One GoogleSQL statement run the way any BigQuery client runs it (jobs.query, then getQueryResults until the job
// is complete and every page is read), bypassing our connector: for outside edits and for reading what BigQuery
// holds. Parameters are NAMED; stringParameter() builds the usual STRING one.
struct BigQueryAnswer {
    QString error;     // empty on success
    QJsonArray fields; // the result schema's fields (SELECT)
    QJsonArray rows;   // every row, {"f":[{"v":...}]} (SELECT)
    qint64 dmlAffected = -1;
};

BigQueryAnswer runBigQueryJob(const BigQuerySettings &settings, const QString &statement,
                              const QJsonArray &parameters = {});
QJsonObject stringParameter(const QString &name, const QString &value);
// `project.dataset.table` of the contacts table, quoted for GoogleSQL.
QString bigQueryTable(const BigQuerySettings &settings);

} // namespace tf::test
