#include "benchtable.h"

#include <QFile>

namespace tf::bench {

void BenchTable::print(QTextStream &out) const
{
    out << "| layer | operation | contacts | seconds | contacts/s | vs raw engine |\n";
    out << "|---|---|---:|---:|---:|---:|\n";
    for (const BenchRow &row : m_rows) {
        const QString ratio = row.baselinePerSecond > 0
            ? QStringLiteral("%1×").arg(row.perSecond() / row.baselinePerSecond, 0, 'f', 2)
            : QStringLiteral("1× (baseline)");
        out << "| " << row.group << " | " << row.what << " | " << row.contacts << " | "
            << QString::number(row.seconds, 'f', 3) << " | " << QString::number(row.perSecond(), 'f', 0) << " | "
            << ratio << " |\n";
    }
    out << "\npeak resident memory: " << peakRssKiB() / 1024 << " MiB\n";
}

qint64 BenchTable::peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

} // namespace tf::bench
