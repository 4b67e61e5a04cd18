#include "connectors/demo/demostand.h"

#include "core/contactgenerator.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace tf {

namespace {

const QByteArray kDemoApiKey = "demo-api-key";

// A plain SQL statement run the way another program would run it: its own connection, no sync marker.
QString runOutsideSql(const QString &driver, const QString &database, const QString &options, const QString &host,
                      int port, const QString &password, const QString &sql, const QVariantList &bindings)
{
    const QString name = QStringLiteral("tf-demo-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
        db.setDatabaseName(database);
        if (!host.isEmpty()) {
            db.setHostName(host);
            db.setPort(port);
            db.setUserName(QStringLiteral("postgres"));
            db.setPassword(password);
        }
        db.setConnectOptions(options);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            query.prepare(sql);
            for (const QVariant &binding : bindings)
                query.addBindValue(binding);
            if (!query.exec())
                error = query.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

} // namespace

QByteArray DemoStand::twentyApiKey()
{
    return kDemoApiKey;
}

DemoStand::DemoStand(QTextStream &log)
    : m_log(log)
    , m_dir(QDir::tempPath() + QStringLiteral("/truthforge-demo-XXXXXX"))
{
}

DemoStand::~DemoStand() = default;

QString DemoStand::configPath() const
{
    return m_dir.filePath(QStringLiteral("sync.ini"));
}

QString DemoStand::start()
{
    if (!m_dir.isValid())
        return QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString());
    m_log << "starting the BigQuery stand-in...\n";
    m_log.flush();
    if (QString error = m_bigquery.start(QStringLiteral("tf-bigquery-emulator")); !error.isEmpty())
        return error;
    m_log << "starting the Twenty stand-in...\n";
    m_log.flush();
    // A generous bucket: the demo shows the sync, not a minute of waiting for Twenty's 100 requests per minute.
    if (QString error = m_twenty.start(QStringLiteral("tf-twenty-emulator"),
                                       {QStringLiteral("--api-key"), QString::fromLatin1(kDemoApiKey),
                                        QStringLiteral("--rate-long"), QStringLiteral("100000/60000"),
                                        QStringLiteral("--rate-short"), QStringLiteral("100000/1000")});
        !error.isEmpty())
        return error;
    m_log << "starting a throwaway PostgreSQL 15...\n";
    m_log.flush();
    if (QString error = m_postgres.start(); !error.isEmpty())
        return error;
    qputenv("TF_TWENTY_API_KEY", kDemoApiKey);
    qputenv("TF_SUPABASE_PASSWORD", m_postgres.password().toUtf8());
    return writeConfig();
}

QString DemoStand::writeConfig()
{
    SyncConfig config;
    config.bigquery = BigQuerySettings{QStringLiteral("demo-project"), QStringLiteral("truth_forge"),
                                       QStringLiteral("contacts"), QStringLiteral("US"),
                                       m_bigquery.baseUrl().toString(), QString()};
    CrmSettings crm;
    crm.url = m_twenty.baseUrl().toString();
    crm.requestsPerMinute = 100000;
    config.crm = crm;
    config.supabase = SupabaseSettings{
        QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres sslmode=disable").arg(m_postgres.port()),
        QStringLiteral("public"), QStringLiteral("contacts")};
    config.local = LocalSettings{m_dir.filePath(QStringLiteral("contacts.sqlite"))};
    config.sync.statePath = m_dir.filePath(QStringLiteral("state.sqlite"));
    config.sync.batchSize = 200;
    config.save(configPath());
    m_log << "stand-ins ready; config " << configPath() << "\n";
    return {};
}

QString DemoStand::seed(SyncSession &session, int count)
{
    Connector *canonical = session.connectors().value(kCanonicalLayer);
    if (!canonical)
        return QStringLiteral("the canonical layer is not available");
    ContactGenerator generator(2026);
    try {
        for (int done = 0; done < count; done += 250) {
            canonical->writeBatch(generator.take(std::min(250, count - done)), {});
        }
    } catch (const ConnectorError &error) {
        return QString::fromUtf8(error.what());
    }
    m_log << "seeded " << count << " contacts into bigquery\n";
    return {};
}

QStringList DemoStand::editEveryLayer(SyncSession &session, QString *error)
{
    QStringList done;
    const QMap<Layer, Connector *> connectors = session.connectors();
    ChangePage page;
    try {
        page = connectors.value(Layer::Local)->readChanges(QString(), 12);
    } catch (const ConnectorError &readError) {
        *error = QString::fromUtf8(readError.what());
        return done;
    }
    if (page.contacts.size() < 12) {
        *error = QStringLiteral("the local layer holds too few contacts to edit");
        return done;
    }
    const QList<Contact> &c = page.contacts;
    try {
        Contact bq = c.at(0);
        bq.setValue(QStringLiteral("notes"), QStringLiteral("Edited in BigQuery by the demo"));
        connectors.value(Layer::BigQuery)->writeBatch({bq}, {});
        done << QStringLiteral("bigquery: notes of %1").arg(bq.id());
        Contact crm = c.at(1);
        crm.setValue(QStringLiteral("department"), QStringLiteral("Edited in Twenty"));
        crm.setValue(QStringLiteral("job_title"), QStringLiteral("Twenty says: Head of Research"));
        connectors.value(Layer::Crm)->writeBatch({crm}, {});
        done << QStringLiteral("crm: department and job_title of %1").arg(crm.id());
    } catch (const ConnectorError &writeError) {
        *error = QString::fromUtf8(writeError.what());
        return done;
    }
    const SupabaseSettings &pg = *session.config().supabase;
    const QString pgOptions = QStringLiteral("sslmode=disable");
    const auto postgres = [&](const QString &sql, const QVariantList &bindings) {
        return runOutsideSql(QStringLiteral("QPSQL"), QStringLiteral("postgres"), pgOptions, QStringLiteral("127.0.0.1"),
                             m_postgres.port(), m_postgres.password(), sql, bindings);
    };
    const QString table = QStringLiteral("\"%1\".\"%2\"").arg(pg.schema, pg.table);
    const QString localPath = session.config().local->path;
    const auto sqlite = [&](const QString &sql, const QVariantList &bindings) {
        return runOutsideSql(QStringLiteral("QSQLITE"), localPath, QString(), QString(), 0, QString(), sql, bindings);
    };
    QString sqlError = postgres(QStringLiteral("UPDATE %1 SET nickname = 'Supa' WHERE contact_id = ?").arg(table), {c.at(2).id()});
    if (sqlError.isEmpty()) {
        done << QStringLiteral("supabase: nickname of %1 (psql-style UPDATE)").arg(c.at(2).id());
        sqlError = postgres(QStringLiteral("UPDATE %1 SET deleted_at = now() WHERE contact_id = ?").arg(table), {c.at(3).id()});
    }
    if (sqlError.isEmpty()) {
        done << QStringLiteral("supabase: deleted %1").arg(c.at(3).id());
        sqlError = sqlite(QStringLiteral("UPDATE contacts SET job_title = 'Local: Chief Tinkerer' WHERE contact_id = ?"), {c.at(4).id()});
    }
    if (sqlError.isEmpty()) {
        done << QStringLiteral("local: job_title of %1 (sqlite3-style UPDATE)").arg(c.at(4).id());
        // The same field in two layers: a conflict the policy settles.
        sqlError = sqlite(QStringLiteral("UPDATE contacts SET job_title = 'Local says: Researcher' WHERE contact_id = ?"), {c.at(1).id()});
    }
    if (!sqlError.isEmpty()) {
        *error = sqlError;
        return done;
    }
    done << QStringLiteral("local: job_title of %1, also changed in the CRM (conflict)").arg(c.at(1).id());
    return done;
}

} // namespace tf
