#include "bigquery/rowpager.h"

#include <QJsonObject>

namespace tf::emu {

namespace {

// The serialised size of a cell tree, closely enough to keep a page under the limit without serialising it twice.
qint64 approximateSize(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().size() + 2;
    if (value.isArray()) {
        qint64 size = 2;
        for (const QJsonValue &element : value.toArray())
            size += approximateSize(element) + 1;
        return size;
    }
    if (value.isObject()) {
        qint64 size = 2;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            size += it.key().size() + 4 + approximateSize(it.value());
        return size;
    }
    return 5;
}

} // namespace

RowPager::Page RowPager::encode(const QList<QVariantList> &rows, qsizetype from, qsizetype count, const QList<FieldSchema> &schema,
                                const CellEncoder &encoder)
{
    Page page;
    qint64 bytes = 0;
    for (qsizetype i = from; i < rows.size() && page.emitted < count; ++i) {
        const QJsonObject row = encoder.row(rows.at(i), schema);
        bytes += approximateSize(row);
        if (bytes > kMaxResponseBytes && page.emitted > 0)
            break;
        page.rows.append(row);
        ++page.emitted;
    }
    return page;
}

} // namespace tf::emu
