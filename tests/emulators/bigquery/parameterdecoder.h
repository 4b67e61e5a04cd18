#pragma once

#include "bigquery/querycontext.h"

#include <QJsonObject>
#include <QJsonValue>

namespace tf::emu {

// queryParameters of a QueryRequest or JobConfigurationQuery (§1.1) to typed values: every type of §1.1 including
// ARRAY, STRUCT and ARRAY<STRUCT>, values as strings, numbers, booleans or null, a missing parameterValue as NULL,
// TIMESTAMP as "…T…Z" or "… …+00:00", parameterMode in any case. Throws GoogleError 400 naming the parameter.
class ParameterDecoder
{
public:
    static void decode(const QJsonObject &request, QueryContext &context);
    static SqlType type(const QJsonValue &parameterType, const QString &where);
    static QVariant value(const QJsonValue &parameterValue, const SqlType &type, const QString &where);
};

} // namespace tf::emu
