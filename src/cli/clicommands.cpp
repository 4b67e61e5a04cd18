#include "cli/clicommands.h"

#include "cli/demorunner.h"
#include "cli/unixsignalwatcher.h"
#include "core/consistencyverifier.h"
#include "core/contactnormalizer.h"
#include "core/syncscheduler.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace tf {

namespace {

QString json(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

QString valueText(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("∅");
    if (value.isString())
        return value.toString();
    return ContactNormalizer::canonicalJson(value);
}

} // namespace

CliCommands::CliCommands(QString configPath, QTextStream &out, QTextStream &err)
    : m_configPath(std::move(configPath))
    , m_out(out)
    , m_err(err)
{
}

int CliCommands::run(const QString &command, const QStringList &arguments)
{
    if (command == QLatin1String("provision"))
        return provision();
    if (command == QLatin1String("check"))
        return check(arguments);
    if (command == QLatin1String("initial"))
        return initial(arguments);
    if (command == QLatin1String("run"))
        return runScheduler(arguments);
    if (command == QLatin1String("push"))
        return push(arguments);
    if (command == QLatin1String("verify"))
        return verify(arguments);
    if (command == QLatin1String("status"))
        return status(arguments);
    if (command == QLatin1String("conflicts"))
        return conflicts(arguments);
    if (command == QLatin1String("history"))
        return history(arguments);
    if (command == QLatin1String("demo"))
        return demo(arguments);
    m_err << "tfsync: unknown command '" << command << "'\n";
    return Usage;
}

bool CliCommands::parse(QCommandLineParser &parser, const QString &command, const QStringList &arguments)
{
    parser.setApplicationDescription(QStringLiteral("tfsync %1").arg(command));
    if (!parser.parse(QStringList{QStringLiteral("tfsync")} + arguments)) {
        m_err << "tfsync " << command << ": " << parser.errorText() << "\n";
        return false;
    }
    if (!parser.positionalArguments().isEmpty() && command != QLatin1String("conflicts")) {
        m_err << "tfsync " << command << ": unexpected argument '" << parser.positionalArguments().first() << "'\n";
        return false;
    }
    return true;
}

bool CliCommands::openSession(SyncSession &session, ConfigErrors configErrors)
{
    QString error;
    if (!session.open(&error)) {
        m_err << "tfsync: " << error << "\n";
        return false;
    }
    const QStringList &problems = session.config().errors;
    if (configErrors == ConfigErrors::Refuse && !problems.isEmpty()) {
        // A typo must not sync with a default in its place: nothing runs until the file says what it means.
        m_err << "tfsync: " << session.config().path << " has " << problems.size()
              << (problems.size() == 1 ? " problem" : " problems") << "; nothing was done:\n";
        for (const QString &problem : problems)
            m_err << "  " << problem << "\n";
        return false;
    }
    for (auto it = session.connectorErrors().cbegin(); it != session.connectorErrors().cend(); ++it)
        m_err << "tfsync: " << it.value() << " (layer skipped)\n";
    return true;
}

bool CliCommands::prepareToSync(SyncSession &session, const QString &command)
{
    // The same gate for every command that writes (initial, push, run): what `tfsync check` calls UNSAFE (plain
    // text to a remote host, a broken schema, an unreachable layer) never syncs.
    const SafetyReport safety = session.safetyCheck();
    if (safety.verdict() == SafetyVerdict::Unsafe) {
        m_err << "tfsync " << command << ": the safety check says UNSAFE; nothing was synced:\n";
        for (const SafetyItem &item : safety.items) {
            if (item.level == SafetyItem::Level::Fail) {
                m_err << "  " << (item.layer.isEmpty() ? QString() : item.layer + QStringLiteral(": ")) << item.message
                      << (item.hint.isEmpty() ? QString() : QStringLiteral(" (fix: %1)").arg(item.hint)) << "\n";
            }
        }
        return false;
    }
    QString held;
    if (!session.lockMachine(&held)) {
        m_err << "tfsync " << command << ": " << held << "; nothing was synced\n";
        return false;
    }
    return true;
}

int CliCommands::exitFor(const CycleReport &report) const
{
    if (report.massDeleteBlocked)
        return NotClean;
    if (!report.errors.isEmpty())
        return Failure;
    int rejected = 0;
    for (int count : report.rejected)
        rejected += count;
    return (report.held > 0 || rejected > 0) ? NotClean : Ok;
}

void CliCommands::printCycle(const CycleReport &report)
{
    if (report.dryRun) {
        m_out << "dry run: " << report.plan.size() << " planned writes, nothing written\n";
        for (const PlannedWrite &write : report.plan) {
            m_out << "  " << layerName(write.layer) << " " << write.operation << " " << write.contactId << " ["
                  << write.fields.join(QLatin1Char(',')) << "]\n";
        }
    }
    m_out << "cycle " << report.cycleId << ": " << report.contactsProcessed << " contacts processed";
    for (Layer layer : allLayers()) {
        if (report.pulled.contains(layer) || report.written.contains(layer))
            m_out << "; " << layerName(layer) << " read " << report.pulled.value(layer) << " wrote "
                  << report.written.value(layer);
    }
    m_out << "; " << report.conflicts << " conflicts, " << report.held << " held, " << report.echoesSuppressed
          << " echoes suppressed\n";
    for (const QString &refused : report.refusedValues)
        m_err << "refused: " << refused << "\n";
    for (const QString &error : report.errors)
        m_err << "error: " << error << "\n";
}

int CliCommands::provision()
{
    SyncSession session(m_configPath);
    if (!openSession(session))
        return Failure;
    QMap<Layer, QString> failures;
    session.provision(&failures);
    for (Layer layer : session.config().configuredLayers()) {
        if (failures.contains(layer))
            m_err << layerName(layer) << ": FAILED: " << failures.value(layer) << "\n";
        else
            m_out << layerName(layer) << ": provisioned\n";
    }
    return failures.isEmpty() ? Ok : Failure;
}

int CliCommands::check(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output.")});
    parser.addOption({QStringLiteral("fail-on"),
                      QStringLiteral("warnings (default: exit 1 on warnings, 2 when unsafe) or unsafe (exit 0 unless "
                                     "unsafe: a service's start gate)."),
                      QStringLiteral("LEVEL"), QStringLiteral("warnings")});
    if (!parse(parser, QStringLiteral("check"), arguments))
        return Usage;
    const QString failOn = parser.value(QStringLiteral("fail-on"));
    if (failOn != QLatin1String("warnings") && failOn != QLatin1String("unsafe")) {
        m_err << "tfsync check: --fail-on takes warnings or unsafe\n";
        return Usage;
    }
    SyncSession session(m_configPath);
    if (!openSession(session, ConfigErrors::Report))
        return Failure;
    const SafetyReport report = session.safetyCheck();
    if (parser.isSet(QStringLiteral("json"))) {
        m_out << json(report.toJson());
    } else {
        for (const SafetyItem &item : report.items) {
            const char *mark = item.level == SafetyItem::Level::Pass ? "ok  " : item.level == SafetyItem::Level::Warn ? "warn" : "FAIL";
            m_out << mark << "  " << (item.layer.isEmpty() ? QString() : item.layer + QStringLiteral(": ")) << item.check
                  << " — " << item.message << (item.hint.isEmpty() ? QString() : QStringLiteral(" (fix: %1)").arg(item.hint)) << "\n";
        }
        m_out << safetyVerdictName(report.verdict()) << "\n";
    }
    switch (report.verdict()) {
    case SafetyVerdict::Safe:
        return Ok;
    case SafetyVerdict::SafeWithWarnings:
        return failOn == QLatin1String("unsafe") ? Ok : NotClean;
    case SafetyVerdict::Unsafe:
        return Failure;
    }
    return Failure;
}

int CliCommands::initial(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("Print the plan, write nothing.")});
    parser.addOption({QStringLiteral("allow-mass-delete"), QStringLiteral("Confirm deletes beyond max_delete_share.")});
    if (!parse(parser, QStringLiteral("initial"), arguments))
        return Usage;
    SyncSession session(m_configPath);
    if (!openSession(session) || !prepareToSync(session, QStringLiteral("initial")))
        return Failure;
    CycleOptions options;
    options.fullRescan = true;
    options.dryRun = parser.isSet(QStringLiteral("dry-run"));
    options.allowMassDelete = parser.isSet(QStringLiteral("allow-mass-delete"));
    if (session.connectors().contains(kCanonicalLayer))
        options.sourceLayers = {kCanonicalLayer};
    const CycleReport report = session.engine()->runCycle(options);
    printCycle(report);
    return exitFor(report);
}

int CliCommands::runScheduler(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("once"), QStringLiteral("Run one complete cycle and exit.")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("Seconds between cycles."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("batch-size"), QStringLiteral("Contacts per page."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("allow-mass-delete"), QStringLiteral("Confirm deletes beyond max_delete_share.")});
    if (!parse(parser, QStringLiteral("run"), arguments))
        return Usage;
    bool ok = true;
    const int interval = parser.isSet(QStringLiteral("interval")) ? parser.value(QStringLiteral("interval")).toInt(&ok) : 0;
    if (!ok || interval < 0) {
        m_err << "tfsync run: --interval takes a number of seconds\n";
        return Usage;
    }
    const int batchSize = parser.isSet(QStringLiteral("batch-size")) ? parser.value(QStringLiteral("batch-size")).toInt(&ok) : 0;
    if (!ok || batchSize < 0) {
        m_err << "tfsync run: --batch-size takes a whole number\n";
        return Usage;
    }
    SyncSession session(m_configPath);
    session.setOverrides([&](SyncConfig &config) {
        if (interval > 0)
            config.sync.intervalSeconds = interval;
        if (batchSize > 0)
            config.sync.batchSize = batchSize;
    });
    if (!openSession(session) || !prepareToSync(session, QStringLiteral("run")))
        return Failure;
    CycleOptions options;
    options.allowMassDelete = parser.isSet(QStringLiteral("allow-mass-delete"));
    if (parser.isSet(QStringLiteral("once"))) {
        const CycleReport report = session.engine()->runCycle(options);
        printCycle(report);
        return exitFor(report);
    }
    SyncScheduler scheduler(session.engine(), session.config().sync.intervalSeconds);
    scheduler.setAllowMassDelete(options.allowMassDelete);
    UnixSignalWatcher terminationSignals;
    QObject::connect(&terminationSignals, &UnixSignalWatcher::terminationRequested, &scheduler, &SyncScheduler::stop);
    QObject::connect(&scheduler, &SyncScheduler::stopped, qApp, &QCoreApplication::quit);
    QObject::connect(session.engine(), &SyncEngine::waiting, qApp,
                     [this](Layer layer, qint64 ms, const QString &reason) {
                         m_out << layerName(layer) << ": waiting " << (ms + 999) / 1000 << " s: " << reason << "\n";
                         m_out.flush();
                     });
    QObject::connect(session.engine(), &SyncEngine::cycleFinished, qApp, [this](const CycleReport &report) {
        printCycle(report);
        m_out.flush();
    });
    scheduler.start();
    QCoreApplication::exec();
    m_out << "stopped\n";
    return Ok;
}

int CliCommands::push(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("source"), QStringLiteral("bigquery, crm, supabase, local or all."), QStringLiteral("LAYER")});
    parser.addOption({QStringLiteral("contact-id"), QStringLiteral("Only this contact."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("verify"), QStringLiteral("Verify the layers afterwards.")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("Print the plan, write nothing.")});
    parser.addOption({QStringLiteral("allow-mass-delete"), QStringLiteral("Confirm deletes beyond max_delete_share.")});
    if (!parse(parser, QStringLiteral("push"), arguments))
        return Usage;
    const QString source = parser.value(QStringLiteral("source"));
    const std::optional<Layer> layer = layerFromName(source);
    if (!layer && source != QLatin1String("all")) {
        m_err << "tfsync push: --source must be bigquery, crm, supabase, local or all\n";
        return Usage;
    }
    SyncSession session(m_configPath);
    if (!openSession(session))
        return Failure;
    if (layer && !session.connectors().contains(*layer)) {
        m_err << "tfsync push: layer " << source << " is not configured\n";
        return Failure;
    }
    if (!prepareToSync(session, QStringLiteral("push")))
        return Failure;
    CycleOptions options;
    options.pushSource = layer;
    options.dryRun = parser.isSet(QStringLiteral("dry-run"));
    options.allowMassDelete = parser.isSet(QStringLiteral("allow-mass-delete"));
    if (parser.isSet(QStringLiteral("contact-id")))
        options.contactIds = {parser.value(QStringLiteral("contact-id"))};
    const CycleReport report = session.engine()->runCycle(options);
    printCycle(report);
    int code = exitFor(report);
    if (parser.isSet(QStringLiteral("verify")) && code != Failure && !options.dryRun) {
        const VerifyReport verified = ConsistencyVerifier(session.connectors()).verify(options.contactIds);
        printVerify(verified);
        if (!verified.errors.isEmpty())
            return Failure;
        if (!verified.consistent())
            code = NotClean;
    }
    return code;
}

void CliCommands::printVerify(const VerifyReport &report)
{
    for (const ContactDifferences &contact : report.contacts) {
        m_out << contact.contactId << "\n";
        for (const FieldDifference &difference : contact.differences) {
            m_out << "  " << difference.field << ":";
            for (auto it = difference.values.cbegin(); it != difference.values.cend(); ++it)
                m_out << " " << layerName(it.key()) << "=" << valueText(it.value());
            m_out << "\n";
        }
        for (const RefusedValue &value : contact.refused)
            m_out << "  refused: " << value.message() << "\n";
    }
    for (const QString &error : report.errors)
        m_err << "error: " << error << "\n";
    m_out << report.contactsCompared << " contacts compared across " << report.layers.size() << " layers: "
          << (report.consistent() ? "consistent" : QStringLiteral("%1 differ").arg(report.contacts.size())) << "\n";
}

int CliCommands::verify(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("contact-id"), QStringLiteral("Only this contact."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output.")});
    if (!parse(parser, QStringLiteral("verify"), arguments))
        return Usage;
    SyncSession session(m_configPath);
    if (!openSession(session))
        return Failure;
    QStringList ids;
    if (parser.isSet(QStringLiteral("contact-id")))
        ids << parser.value(QStringLiteral("contact-id"));
    const VerifyReport report = ConsistencyVerifier(session.connectors()).verify(ids);
    if (parser.isSet(QStringLiteral("json")))
        m_out << json(report.toJson());
    else
        printVerify(report);
    if (!report.errors.isEmpty())
        return Failure;
    return report.consistent() ? Ok : NotClean;
}

int CliCommands::status(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output.")});
    if (!parse(parser, QStringLiteral("status"), arguments))
        return Usage;
    SyncSession session(m_configPath);
    if (!openSession(session))
        return Failure;
    StateDatabase *state = session.state();
    const QJsonObject lastCycle = QJsonDocument::fromJson(state->meta(QStringLiteral("last_cycle")).toUtf8()).object();
    QJsonArray errors = lastCycle.value(QStringLiteral("errors")).toArray();
    for (const DeadLetter &letter : state->deadLetters())
        errors.append(QStringLiteral("%1: %2 refused: %3").arg(layerName(letter.layer), letter.contactId, letter.error));
    QJsonObject layers;
    for (Layer layer : allLayers()) {
        QJsonObject entry{{QStringLiteral("configured"), session.config().isConfigured(layer)}};
        if (session.config().isConfigured(layer)) {
            entry.insert(QStringLiteral("watermark"), state->watermark(layer));
            entry.insert(QStringLiteral("written_last_cycle"), lastCycle.value(QStringLiteral("written")).toObject().value(layerName(layer)).toInt());
            if (session.connectorErrors().contains(layer))
                entry.insert(QStringLiteral("error"), session.connectorErrors().value(layer));
            if (const auto wait = state->layerWait(layer, QDateTime::currentDateTimeUtc())) {
                entry.insert(QStringLiteral("waiting"),
                             QJsonObject{{QStringLiteral("until"), wait->until.toString(Qt::ISODateWithMs)},
                                         {QStringLiteral("seconds"),
                                          (QDateTime::currentDateTimeUtc().msecsTo(wait->until) + 999) / 1000},
                                         {QStringLiteral("reason"), wait->reason}});
            }
        }
        layers.insert(layerName(layer), entry);
    }
    const QString last = state->meta(QStringLiteral("last_sync_time"));
    const QJsonObject object{{QStringLiteral("running"), !session.heldByAnotherInstance().isEmpty()},
                             {QStringLiteral("total_synced"), state->meta(QStringLiteral("total_synced")).toInt()},
                             {QStringLiteral("contacts"), state->baseCount()},
                             {QStringLiteral("last_sync_time"), last.isEmpty() ? QJsonValue() : QJsonValue(last)},
                             {QStringLiteral("open_conflicts"), int(state->conflicts().size())},
                             {QStringLiteral("errors"), errors},
                             {QStringLiteral("layers"), layers}};
    if (parser.isSet(QStringLiteral("json"))) {
        m_out << json(object);
    } else {
        m_out << "running: " << (object.value(QStringLiteral("running")).toBool() ? "yes" : "no") << "\n"
              << "contacts: " << state->baseCount() << ", total synced writes: " << object.value(QStringLiteral("total_synced")).toInt() << "\n"
              << "last sync: " << (last.isEmpty() ? QStringLiteral("never") : last) << "\n"
              << "open conflicts: " << object.value(QStringLiteral("open_conflicts")).toInt() << "\n";
        for (Layer layer : allLayers()) {
            const QJsonObject entry = layers.value(layerName(layer)).toObject();
            const QJsonObject wait = entry.value(QStringLiteral("waiting")).toObject();
            m_out << layerName(layer) << ": "
                  << (entry.value(QStringLiteral("configured")).toBool()
                          ? QStringLiteral("watermark %1").arg(entry.value(QStringLiteral("watermark")).toString())
                          : QStringLiteral("not configured"))
                  << (wait.isEmpty() ? QString()
                                     : QStringLiteral("; waits %1 s: %2")
                                           .arg(wait.value(QStringLiteral("seconds")).toInteger())
                                           .arg(wait.value(QStringLiteral("reason")).toString()))
                  << "\n";
        }
        for (const QJsonValue &error : std::as_const(errors))
            m_out << "error: " << error.toString() << "\n";
    }
    return Ok;
}

int CliCommands::conflicts(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("take"),
                      QStringLiteral("The layer whose value wins; for a possible duplicate, merge or keep-both."),
                      QStringLiteral("LAYER")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output.")});
    if (!parse(parser, QStringLiteral("conflicts"), arguments))
        return Usage;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    SyncSession session(m_configPath);
    if (!openSession(session))
        return Failure;
    if (action == QLatin1String("list") && positional.size() == 1) {
        const QList<ConflictRecord> open = session.state()->conflicts();
        QJsonArray list;
        for (const ConflictRecord &record : open) {
            const bool duplicate = record.kind == ConflictRecord::Kind::PossibleDuplicate;
            list.append(QJsonObject{
                {QStringLiteral("id"), record.id},
                {QStringLiteral("kind"), duplicate ? QStringLiteral("possible_duplicate") : QStringLiteral("field")},
                {QStringLiteral("contact_id"), record.contactId},
                {QStringLiteral("field"), record.field},
                {QStringLiteral("values"), record.values},
                {QStringLiteral("base"), record.base.value(QStringLiteral("value"))}});
            if (duplicate && !parser.isSet(QStringLiteral("json"))) {
                const QJsonObject details = record.base.value(QStringLiteral("value")).toObject();
                m_out
                    << record.id << "  " << record.contactId << "  possible duplicate of "
                    << record.values.value(QLatin1String(ConflictRecord::kMerge)).toString() << ": same primary email "
                    << details.value(QStringLiteral("email")).toString() << " (new in "
                    << details.value(QStringLiteral("layer")).toString() << "), differs in "
                    << details.value(QStringLiteral("differing")).toVariant().toStringList().join(QStringLiteral(", "))
                    << "; answer with --take merge or --take keep-both\n";
            } else if (!parser.isSet(QStringLiteral("json"))) {
                m_out << record.id << "  " << record.contactId << "  " << record.field << ":";
                for (auto it = record.values.constBegin(); it != record.values.constEnd(); ++it)
                    m_out << " " << it.key() << "=" << valueText(it.value());
                m_out << " (base " << valueText(record.base.value(QStringLiteral("value"))) << ")\n";
            }
        }
        if (parser.isSet(QStringLiteral("json")))
            m_out << QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented));
        else if (open.isEmpty())
            m_out << "no open conflicts\n";
        return Ok;
    }
    if (action == QLatin1String("resolve") && positional.size() == 2 && parser.isSet(QStringLiteral("take"))) {
        bool ok = false;
        const qint64 id = positional.at(1).toLongLong(&ok);
        const std::optional<ConflictRecord> record = ok ? session.state()->conflict(id) : std::nullopt;
        if (!record || !record->open) {
            m_err << "tfsync conflicts resolve: no open conflict " << positional.at(1) << "\n";
            return Failure;
        }
        const QString take = parser.value(QStringLiteral("take"));
        if (!record->values.contains(take)) {
            m_err << "tfsync conflicts resolve: --take must be one of " << record->values.keys().join(QStringLiteral(", ")) << "\n";
            return Usage;
        }
        session.state()->resolveConflict(id, take);
        if (record->kind == ConflictRecord::Kind::PossibleDuplicate) {
            m_out << "conflict " << id << " resolved: contact " << record->contactId
                  << (take == QLatin1String(ConflictRecord::kMerge)
                          ? QStringLiteral(" is merged into contact %1").arg(record->values.value(take).toString())
                          : QStringLiteral(" is kept as a contact of its own"))
                  << "; the next cycle applies it\n";
        } else {
            m_out << "conflict " << id << " resolved: " << record->field << " takes the " << take
                  << " value; the next cycle applies it\n";
        }
        return Ok;
    }
    m_err << "usage: tfsync conflicts list | tfsync conflicts resolve ID --take LAYER|merge|keep-both\n";
    return Usage;
}

int CliCommands::history(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("contact-id"), QStringLiteral("Only this contact."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("How many entries (default 50)."), QStringLiteral("N"), QStringLiteral("50")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output.")});
    if (!parse(parser, QStringLiteral("history"), arguments))
        return Usage;
    SyncSession session(m_configPath);
    if (!openSession(session))
        return Failure;
    const QList<JournalEntry> entries =
        session.state()->history(parser.value(QStringLiteral("contact-id")), parser.value(QStringLiteral("limit")).toInt());
    QJsonArray list;
    for (const JournalEntry &entry : entries) {
        const QJsonObject object{{QStringLiteral("id"), entry.id}, {QStringLiteral("cycle_id"), entry.cycleId},
                                 {QStringLiteral("contact_id"), entry.contactId}, {QStringLiteral("layer"), layerName(entry.layer)},
                                 {QStringLiteral("operation"), entry.operation}, {QStringLiteral("status"), journalStatusName(entry.status)},
                                 {QStringLiteral("detail"), entry.detail}, {QStringLiteral("created_at"), entry.createdAt.toString(Qt::ISODateWithMs)}};
        list.append(object);
        if (!parser.isSet(QStringLiteral("json"))) {
            m_out << entry.createdAt.toString(Qt::ISODateWithMs) << "  " << journalStatusName(entry.status) << "  "
                  << layerName(entry.layer) << "  " << entry.operation << "  " << entry.contactId
                  << (entry.detail.isEmpty() ? QString() : QStringLiteral("  (%1)").arg(entry.detail)) << "\n";
        }
    }
    if (parser.isSet(QStringLiteral("json")))
        m_out << QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented));
    return Ok;
}

int CliCommands::demo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("contacts"), QStringLiteral("How many contacts to seed (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("keep"), QStringLiteral("Keep the stand-ins running until interrupted.")});
    if (!parse(parser, QStringLiteral("demo"), arguments))
        return Usage;
    DemoRunner runner(m_out, m_err);
    return runner.run(parser.value(QStringLiteral("contacts")).toInt(), parser.isSet(QStringLiteral("keep")));
}

} // namespace tf
