#pragma once

#include "bigquery/cellencoder.h"

#include <QJsonArray>

namespace tf::emu {

// One page of rows as `rows` (§1.3), cut at the row count asked for and at BigQuery's 10 MB response limit (§1.1),
// with at least one row so that paging always advances.
class RowPager
{
public:
    static constexpr qint64 kMaxResponseBytes = 10 * 1024 * 1024;

    struct Page {
        QJsonArray rows;
        qsizetype emitted = 0;
    };
    static Page encode(const QList<QVariantList> &rows, qsizetype from, qsizetype count, const QList<FieldSchema> &schema,
                       const CellEncoder &encoder);
};

} // namespace tf::emu
