#pragma once

#include "twenty/recordfilter.h"
#include "twenty/recordorder.h"

#include <optional>

namespace tf::emu {

struct PageRequest {
    RecordFilter filter;
    RecordOrder order;
    int limit = 60;
    std::optional<QJsonObject> startingAfter; // decoded cursors
    std::optional<QJsonObject> endingBefore;
};

struct Page {
    QList<QJsonObject> records;
    int totalCount = 0;
    bool hasNextPage = false;
    bool hasPreviousPage = false;
    QString startCursor; // empty on an empty page (null in JSON)
    QString endCursor;
};

// Find-many over one object's rows (§2): the deletedAt rule, the filter, the order, one page after or before a
// cursor, totalCount ignoring the cursor, and the page flags of build-cursor-page (hasNextPage from limit + 1 rows).
class RecordPager
{
public:
    static Page page(const QList<QJsonObject> &rows, const PageRequest &request);
    // The rows a filter selects under the deletedAt rule: soft-deleted rows only when the filter names deletedAt.
    static QList<QJsonObject> visible(const QList<QJsonObject> &rows, const RecordFilter &filter);
};

} // namespace tf::emu
