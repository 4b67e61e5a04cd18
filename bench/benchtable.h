#pragma once

#include <QList>
#include <QString>
#include <QTextStream>

namespace tf::bench {

// One row: what was measured, how many contacts, how long, and the ratio against its raw engine's row.
struct BenchRow {
    QString group;    // "local (SQLite)", "supabase (PostgreSQL)", ...
    QString what;
    int contacts = 0;
    double seconds = 0;
    double baselinePerSecond = 0; // the raw engine's rate in the same run; 0 for the baseline itself

    double perSecond() const { return seconds > 0 ? contacts / seconds : 0; }
};

class BenchTable
{
public:
    void add(const BenchRow &row) { m_rows.append(row); }
    void print(QTextStream &out) const; // Markdown, ready for the README
    static qint64 peakRssKiB();

private:
    QList<BenchRow> m_rows;
};

} // namespace tf::bench
