#include "twenty/recordpager.h"

#include <algorithm>

namespace tf::emu {

QList<QJsonObject> RecordPager::visible(const QList<QJsonObject> &rows, const RecordFilter &filter)
{
    const bool withDeleted = filter.mentions(QStringLiteral("deletedAt"));
    QList<QJsonObject> selected;
    for (const QJsonObject &row : rows) {
        if ((withDeleted || row.value(QStringLiteral("deletedAt")).isNull()) && filter.matches(row))
            selected.append(row);
    }
    return selected;
}

Page RecordPager::page(const QList<QJsonObject> &rows, const PageRequest &request)
{
    QList<QJsonObject> selected = visible(rows, request.filter);
    std::sort(selected.begin(), selected.end(), [&](const QJsonObject &a, const QJsonObject &b) {
        return request.order.compare(a, b) < 0;
    });
    Page page;
    page.totalCount = int(selected.size());
    const qsizetype limit = request.limit;
    if (request.endingBefore) {
        // Backward: the `limit` rows just before the cursor, in forward order.
        qsizetype end = 0;
        while (end < selected.size() && request.order.compareToCursor(selected.at(end), *request.endingBefore) < 0)
            ++end;
        const qsizetype begin = qMax<qsizetype>(0, end - limit);
        page.records = selected.mid(begin, end - begin);
        page.hasPreviousPage = begin > 0;
        page.hasNextPage = true;
    } else {
        qsizetype begin = 0;
        if (request.startingAfter) {
            while (begin < selected.size() && request.order.compareToCursor(selected.at(begin), *request.startingAfter) <= 0)
                ++begin;
        }
        page.records = selected.mid(begin, limit);
        page.hasNextPage = selected.size() - begin > limit;
        page.hasPreviousPage = request.startingAfter.has_value();
    }
    if (!page.records.isEmpty()) {
        page.startCursor = request.order.cursorOf(page.records.first());
        page.endCursor = request.order.cursorOf(page.records.last());
    }
    return page;
}

} // namespace tf::emu
