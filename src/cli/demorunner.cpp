#include "cli/demorunner.h"

#include "cli/unixsignalwatcher.h"
#include "connectors/demo/demostand.h"
#include "core/consistencyverifier.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>

namespace tf {

DemoRunner::DemoRunner(QTextStream &out, QTextStream &err)
    : m_out(out)
    , m_err(err)
{
}

int DemoRunner::run(int contacts, bool keepRunning)
{
    DemoStand stand(m_out);
    if (const QString error = stand.start(); !error.isEmpty()) {
        m_err << "demo: " << error << "\n";
        return 2;
    }
    SyncSession session(stand.configPath());
    QString error;
    if (!session.open(&error) || !session.connectorErrors().isEmpty()) {
        m_err << "demo: " << (error.isEmpty() ? session.connectorErrors().first() : error) << "\n";
        return 2;
    }
    QMap<Layer, QString> failures;
    session.provision(&failures);
    if (!failures.isEmpty()) {
        m_err << "demo: provisioning failed: " << failures.first() << "\n";
        return 2;
    }
    m_out << "provisioned bigquery, crm, supabase and local\n";
    if (const QString seedError = stand.seed(session, contacts); !seedError.isEmpty()) {
        m_err << "demo: " << seedError << "\n";
        return 2;
    }

    const auto cycle = [&](const char *what, CycleOptions options) {
        QElapsedTimer timer;
        timer.start();
        const CycleReport report = session.engine()->runCycle(options);
        m_out << what << ": " << report.contactsProcessed << " contacts, wrote";
        for (Layer layer : allLayers())
            m_out << " " << layerName(layer) << "=" << report.written.value(layer);
        m_out << ", " << report.conflicts << " conflicts, " << report.echoesSuppressed << " echoes suppressed, "
              << timer.elapsed() << " ms\n";
        for (const QString &cycleError : report.errors)
            m_err << "  error: " << cycleError << "\n";
        m_out.flush();
        return report;
    };

    CycleOptions initial;
    initial.fullRescan = true;
    initial.sourceLayers = {kCanonicalLayer};
    if (!cycle("initial sync", initial).clean())
        return 2;
    cycle("first regular cycle (echoes of the initial sync)", {});

    const QStringList edits = stand.editEveryLayer(session, &error);
    for (const QString &edit : edits)
        m_out << "edited " << edit << "\n";
    if (!error.isEmpty()) {
        m_err << "demo: editing failed: " << error << "\n";
        return 2;
    }
    for (int i = 0; i < 3; ++i) {
        const CycleReport report = cycle("cycle after the edits", {});
        if (!report.clean())
            return 2;
        if (report.totalWritten() == 0)
            break;
    }

    const VerifyReport verify = ConsistencyVerifier(session.connectors()).verify();
    m_out << "verify: " << verify.contactsCompared << " contacts across " << verify.layers.size() << " layers: "
          << (verify.consistent() ? "consistent" : "DIFFERENCES") << "\n";
    if (!verify.consistent())
        m_out << QString::fromUtf8(QJsonDocument(verify.toJson()).toJson(QJsonDocument::Indented));

    if (keepRunning) {
        m_out << "stand-ins keep running; try: tfsync --config " << stand.configPath() << " status\n"
              << "Ctrl-C stops them.\n";
        m_out.flush();
        UnixSignalWatcher signalWatcher;
        QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, qApp, &QCoreApplication::quit);
        QCoreApplication::exec();
    }
    return verify.consistent() ? 0 : 1;
}

} // namespace tf
