#pragma once

#include "connectors/http/httptransport.h"
#include "core/connector.h"

namespace tf {

// A failed answer of the BigQuery API read from Google's error envelope (bigquery-rest.md §3.3):
// {"error": {"code", "message", "errors": [{"reason", "message", …}], "status"}}. A body that is not one (an
// HTML 502 page from a proxy, §3.3 "don't assume that an error object is present") keeps a snippet instead.
struct BigQueryError {
    int status = 0;     // 0 = no HTTP answer
    QString reason;     // errors[0].reason; "" without an envelope
    QString message;    // error.message, or what the body was
    bool timedOut = false;

    static BigQueryError fromReply(const HttpReply &reply);

    // Worth the same request again, with the same requestId (§3.3): no answer or a timeout, HTTP 408/429/500/502/
    // 503/504, reasons rateLimitExceeded, backendError, internalError. Not quotaExceeded (§3.3: wait ten minutes or
    // longer), not invalidQuery/notFound/accessDenied/duplicate.
    static bool retryableRequest(const HttpReply &reply);
    // The job ran and failed in a way a new job may not: the DML concurrency conflicts of §2.4 ("Could not
    // serialize access", "Transaction is aborted due to concurrent update", "Too many DML statements
    // outstanding") and jobRateLimitExceeded/jobBackendError/jobInternalError (§3.3: "retry the job with a new
    // job id"). A failed statement changed nothing, so the retry is a new job with a new requestId.
    bool retryableJob() const;

    // "jobs.query (MERGE 120 rows into p:d.t): 404 notFound: Not found: Table p:d.t" with the kind the failure calls for.
    ConnectorError toConnectorError(const QString &request, const QString &target, int attempts = 1) const;
    QString summary() const; // "404 notFound: Not found: Table p:d.t"
};

} // namespace tf
