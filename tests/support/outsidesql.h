#pragma once

#include "core/layer.h"
#include "core/syncconfig.h"

#include <QSqlDatabase>
#include <QVariantList>
#include <functional>

class QSqlQuery;

namespace tf::test {

// A connection of its own to the SQLite file or to Postgres, opened the way another program opens one (no sync
// marker, plain SQL), removed again on destruction: what the outside editor writes with and the reader reads with.
class OutsideSql {
public:
    OutsideSql(Layer layer, const SyncConfig &config, const QString &postgresPassword);
    ~OutsideSql();
    OutsideSql(const OutsideSql &) = delete;
    OutsideSql &operator=(const OutsideSql &) = delete;

    // `schema.table` of the contacts table in this layer, quoted.
    QString table() const { return m_table; }
    // Empty on success, else the driver's error. `rowsAffected` receives the count of a write.
    QString exec(const QString &statement, const QVariantList &bindings = {}, int *rowsAffected = nullptr);
    // Runs a SELECT and calls `row` for every row.
    QString select(const QString &statement, const std::function<void(const QSqlQuery &)> &row);

private:
    QString open();

    QString m_name;
    QString m_table;
    QString m_openError;
};

} // namespace tf::test
