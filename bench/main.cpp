#include "benchtable.h"
#include "rawbaselines.h"

#include "connectors/demo/throwawaypostgres.h"
#include "connectors/sqlite/sqliteconnector.h"
#include "connectors/supabase/supabaseconnector.h"
#include "core/contactgenerator.h"
#include "core/contenthash.h"
#include "core/syncengine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>

using namespace tf;
using namespace tf::bench;

namespace {

template<typename F> double timed(F &&work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e9;
}

// What a connector's writeBatch costs on top of its raw engine: the same
// contacts in batches of the sync's size.
double connectorWriteSeconds(Connector &connector, const QList<Contact> &contacts, int batchSize)
{
    connector.provision();
    return timed([&] {
        for (qsizetype offset = 0; offset < contacts.size(); offset += batchSize)
            connector.writeBatch(contacts.mid(offset, batchSize), {});
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("truthforge.*.debug=false\ntruthforge.*.info=false"));
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
    table.add(
        {QStringLiteral("local (SQLite)"), QStringLiteral("raw insert loop, one transaction"), count, sqliteRaw, 0});
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
    const double copyRate = count / copy;

    const SyncSettings sync;
    SqliteConnector local(LocalSettings{dir.filePath(QStringLiteral("local.sqlite"))});
    table.add({QStringLiteral("local (SQLite)"),
               QStringLiteral("SqliteConnector::writeBatch, batches of %1").arg(sync.batchSize), count,
               connectorWriteSeconds(local, contacts, sync.batchSize), sqliteRate});
    SupabaseConnector supabase(SupabaseSettings{conninfo, QStringLiteral("public"), QStringLiteral("contacts")});
    table.add({QStringLiteral("supabase (PostgreSQL)"),
               QStringLiteral("SupabaseConnector::writeBatch, batches of %1").arg(sync.batchSize), count,
               connectorWriteSeconds(supabase, contacts, sync.batchSize), copyRate});

    // The engine's initial sync: everything in the local file fans out to an
    // empty second SQLite file (so the figure is the engine's own work: reads,
    // merge, hashes, journal, state), against the raw SQLite loop.
    SqliteConnector target(LocalSettings{dir.filePath(QStringLiteral("target.sqlite"))});
    target.provision();
    StateDatabase state(dir.filePath(QStringLiteral("state.sqlite")));
    state.open();
    SyncEngine engine(&state, {{Layer::Local, &local}, {Layer::Supabase, &target}}, sync);
    CycleOptions initial;
    initial.fullRescan = true;
    CycleReport report;
    const double syncSeconds = timed([&] { report = engine.runCycle(initial); });
    if (!report.errors.isEmpty()) {
        err << "engine initial sync: " << report.errors.join(QLatin1Char('\n')) << "\n";
        return 2;
    }
    table.add({QStringLiteral("engine"), QStringLiteral("initial sync SQLite → SQLite (full rescan, journaled)"), count,
               syncSeconds, sqliteRate});

    out << "Truth Forge Sync benchmark, " << count << " synthetic contacts (31 fields), one machine\n\n";
    table.print(out);
    return 0;
}
