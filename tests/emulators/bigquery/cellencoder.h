#pragma once

#include "bigquery/fieldschema.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QVariant>

namespace tf::emu {

struct HttpRequest;

// The three TIMESTAMP cell forms of §1.3.
enum class TimestampFormat {
    FloatSeconds, // the default: Java-style float seconds, "1.7063136E9"
    Int64Micros,  // formatOptions.useInt64Timestamp / timestampOutputFormat=INT64
    Iso8601,      // timestampOutputFormat=ISO8601_STRING
};

// Storage values to `rows[].f[].v` cells (§1.3): every scalar a string, RECORD as nested f/v, REPEATED as [{v}],
// NULL as null except a NULL array, which is [].
class CellEncoder
{
public:
    explicit CellEncoder(TimestampFormat format = TimestampFormat::FloatSeconds);

    // formatOptions from a jobs.query body, or from the query string of getQueryResults / tabledata.list.
    static CellEncoder fromBody(const QJsonObject &formatOptions);
    static CellEncoder fromQuery(const HttpRequest &request);

    QJsonValue cell(const QVariant &storage, const SqlType &type) const;
    QJsonObject row(const QVariantList &values, const QList<FieldSchema> &schema) const;

private:
    TimestampFormat m_format;
};

} // namespace tf::emu
