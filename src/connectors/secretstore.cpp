#include "connectors/secretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QMutex>
#include <QThread>
#include <QTimer>
#include <functional>
#include <qt6keychain/keychain.h>

namespace tf {

namespace {

constexpr int kKeychainTimeoutMs = 10000;

// Runs a QtKeychain job to completion on the calling thread.
bool runJob(QKeychain::Job *job, QString *error)
{
    job->setAutoDelete(false);
    job->setInsecureFallback(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec();
    const bool ok = finished && job->error() == QKeychain::NoError;
    if (!ok && error) {
        *error = finished ? job->errorString()
                          : QStringLiteral("the keychain did not answer within %1 s").arg(kKeychainTimeoutMs / 1000);
    }
    return ok;
}

// QtKeychain queues every job of the process in one executor object that belongs to the thread which used it first,
// and is not safe to use from several threads: the desktop app asks from its sync thread and its settings thread.
// So every job runs on one long-lived thread of its own, one at a time; the asking thread waits without an event loop
// of its own, so nothing else is delivered to it meanwhile.
QObject *keychainContext()
{
    static QObject *context = [] {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("keychain"));
        auto *object = new QObject;
        object->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, object, &QObject::deleteLater);
        thread->start();
        qAddPostRoutine([] {
            QThread *owner = keychainContext()->thread();
            owner->quit();
            owner->wait();
        });
        return object;
    }();
    return context;
}

void onKeychainThread(const std::function<void()> &work)
{
    static QMutex oneAtATime;
    QMutexLocker lock(&oneAtATime);
    QObject *context = keychainContext();
    if (QThread::currentThread() == context->thread())
        work();
    else
        QMetaObject::invokeMethod(context, work, Qt::BlockingQueuedConnection);
}

} // namespace

QString SecretStore::serviceName()
{
    const QString override = qEnvironmentVariable("TF_KEYCHAIN_SERVICE");
    return override.isEmpty() ? QStringLiteral("truthforge-sync") : override;
}

QString SecretStore::environmentVariable(Secret secret)
{
    switch (secret) {
    case Secret::TwentyApiKey:
        return QStringLiteral("TF_TWENTY_API_KEY");
    case Secret::SupabasePassword:
        return QStringLiteral("TF_SUPABASE_PASSWORD");
    case Secret::BigQueryServiceAccountKey:
        return QStringLiteral("GOOGLE_APPLICATION_CREDENTIALS");
    }
    return {};
}

QString SecretStore::keychainKey(Secret secret)
{
    switch (secret) {
    case Secret::TwentyApiKey:
        return QStringLiteral("crm/api-key");
    case Secret::SupabasePassword:
        return QStringLiteral("supabase/password");
    case Secret::BigQueryServiceAccountKey:
        return QStringLiteral("bigquery/service-account-key");
    }
    return {};
}

QString SecretStore::describe(Secret secret)
{
    return QStringLiteral("%1 in the environment, or the keychain entry '%2' of service '%3'")
        .arg(environmentVariable(secret), keychainKey(secret), serviceName());
}

Layer SecretStore::layerOf(Secret secret)
{
    switch (secret) {
    case Secret::TwentyApiKey:
        return Layer::Crm;
    case Secret::SupabasePassword:
        return Layer::Supabase;
    case Secret::BigQueryServiceAccountKey:
        return Layer::BigQuery;
    }
    return Layer::Local;
}

QString SecretStore::read(Secret secret, QString *error)
{
    const QString fromEnvironment = qEnvironmentVariable(environmentVariable(secret).toLatin1().constData());
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    QString value;
    onKeychainThread([&] {
        QKeychain::ReadPasswordJob job(serviceName());
        job.setKey(keychainKey(secret));
        if (runJob(&job, error))
            value = job.textData();
    });
    return value;
}

bool SecretStore::write(Secret secret, const QString &value, QString *error)
{
    bool ok = false;
    onKeychainThread([&] {
        QKeychain::WritePasswordJob job(serviceName());
        job.setKey(keychainKey(secret));
        job.setTextData(value);
        ok = runJob(&job, error);
    });
    return ok;
}

bool SecretStore::remove(Secret secret, QString *error)
{
    bool ok = false;
    onKeychainThread([&] {
        QKeychain::DeletePasswordJob job(serviceName());
        job.setKey(keychainKey(secret));
        ok = runJob(&job, error);
    });
    return ok;
}

} // namespace tf
