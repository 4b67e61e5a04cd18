#pragma once

#include "bigquery/fieldschema.h"

#include <QJsonObject>
#include <QVariantList>

namespace tf::emu {

// One tabledata.insertAll row (`json`, §2.1) to storage values in schema order: RECORD as an object, REPEATED as an
// array (missing or null = empty), NULL as null or absent, JSON columns as JSON text, TIMESTAMP as text or epoch
// seconds. What BigQuery would refuse is reported per field like its insertErrors (reason "invalid",
// location = the field path).
class RowDecoder
{
public:
    struct FieldError {
        QString location;
        QString message;
    };

    static QVariantList decode(const QJsonObject &json, const QList<FieldSchema> &schema, bool ignoreUnknownValues,
                               QList<FieldError> *errors);
};

} // namespace tf::emu
