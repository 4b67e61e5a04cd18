#include "benchtable.h"
#include "rawbaselines.h"

#include "connectors/demo/throwawaypostgres.h"
#include "core/contactgenerator.h"
#include "core/contenthash.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>

using namespace tf;
using namespace tf::bench;

namespace {

template<typename F>
double timed(F &&work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("truthforge.*.info=false"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("contacts"), QStringLiteral("Contacts per measurement (default 10000)."),
                      QStringLiteral("N"), QStringLiteral("10000")});
    parser.process(app);
    const int count = std::max(1, parser.value(QStringLiteral("contacts")).toInt());
    QTextStream out(stdout);
    QTextStream err(stderr);

    const QList<Contact> contacts = ContactGenerator(7).take(count);
    QTemporaryDir dir;
    BenchTable table;
    QString error;

    const double sqliteRaw = sqliteInsertLoopSeconds(dir.filePath(QStringLiteral("raw.sqlite")), contacts, &error);
    if (!error.isEmpty()) {
        err << "raw SQLite: " << error << "\n";
        return 2;
    }
    table.add({QStringLiteral("local (SQLite)"), QStringLiteral("raw insert loop, one transaction"), count, sqliteRaw, 0});
    const double sqliteRate = count / sqliteRaw;

    const double hashing = timed([&] {
        for (const Contact &contact : contacts)
            ContentHash::of(contact);
    });
    table.add({QStringLiteral("engine (CPU)"), QStringLiteral("normalise + content hash"), count, hashing, sqliteRate});

    ThrowawayPostgres postgres;
    if (const QString pgError = postgres.start(); !pgError.isEmpty()) {
        err << "PostgreSQL: " << pgError << "\n";
        return 2;
    }
    const QString conninfo = postgres.dsn();
    const double copy = postgresCopySeconds(conninfo, contacts, &error);
    if (!error.isEmpty()) {
        err << "raw COPY: " << error << "\n";
        return 2;
    }
    table.add({QStringLiteral("supabase (PostgreSQL)"), QStringLiteral("raw COPY"), count, copy, 0});

    out << "Truth Forge Sync benchmark, " << count << " synthetic contacts (31 fields), one machine\n\n";
    table.print(out);
    return 0;
}
