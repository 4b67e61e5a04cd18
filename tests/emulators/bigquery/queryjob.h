#pragma once

#include "bigquery/googleerror.h"
#include "bigquery/querycontext.h"
#include "bigquery/queryoutcome.h"
#include "bigquery/sqlast.h"

#include <QJsonObject>
#include <optional>

namespace tf::emu {

// A query job (jobs.query or jobs.insert): what to run, when it is due, and once run, its outcome or its error.
struct QueryJob {
    QString project;
    QString jobId;
    QString location;
    QJsonObject configuration; // JobConfigurationQuery as given, for jobs.get
    Statement statement;
    QueryContext context;
    std::optional<QString> mutatedTable; // holds a DML queue slot on this table until done

    qint64 sequence = 0;    // submission order: due jobs run in it
    qint64 createdMs = 0;
    qint64 readyAtMs = 0;   // when it runs: now, or later under --query-delay-ms and the DML queue
    qint64 startedMs = 0;
    qint64 endedMs = 0;

    bool done = false;
    std::optional<GoogleError> error;
    QueryOutcome outcome;

    QString id() const { return project + QLatin1Char(':') + location + QLatin1Char('.') + jobId; } // "p:US.job_x"
};

} // namespace tf::emu
