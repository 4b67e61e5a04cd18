#pragma once

#include "core/connector.h"

#include <QHash>
#include <QJsonArray>

namespace tf {

// The bounds one MERGE request must stay within (bigquery-rest.md §2.5, D-QUOTA "Query jobs"): the request at
// most 10 MB including its parameters (we stay at 9 MB for the envelope and JSON escaping headroom), at most
// 10,000 query parameters (we count every struct field and array element of @rows against it, the write's
// condition included, so a batch of contacts without lists holds at most 9,999 / 34 = 294 rows), and a row count
// for sane job sizes.
struct MergeLimits {
    int maxRows = 500;
    int maxParameters = 10000;
    qint64 maxRequestBytes = 9 * 1024 * 1024;
};

struct MergeBatch {
    QList<Contact> contacts;
    QJsonArray rowValues; // ParameterEncoder::mergeRowValue of each contact, same order
    qint64 bytes = 0;     // serialized size of the row values
    int parameters = 0;
};

// Splits a write into MERGE batches within MergeLimits, keeping the order of the contacts. A contact that alone
// exceeds a limit cannot be written by any request: it is returned in `rejected` with the reason, and the rest
// of the write goes on (a poison record, not a failed batch).
class MergeBatcher
{
public:
    // `fixedBytes`: the request's size without any row (statement text, parameter types, envelope).
    MergeBatcher(const MergeLimits &limits, qint64 fixedBytes);

    // `expected` is encoded into each row (ParameterEncoder::mergeRowValue), so it counts against the limits too.
    QList<MergeBatch> split(const QList<Contact> &contacts, const ExpectedVersions &expected,
                            QHash<QString, QString> *rejected) const;

private:
    MergeLimits m_limits;
    qint64 m_fixedBytes;
};

} // namespace tf
