#include "connectors/secretstore.h"

#include <QtTest>

using namespace tf;

// Against a real Secret Service (gnome-keyring in a private D-Bus session, see tests/support/with-keyring.sh).
class TestSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("TF_KEYCHAIN_SERVICE", "truthforge-sync-test");
        qunsetenv("TF_TWENTY_API_KEY");
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "run me through tests/support/with-keyring.sh");
    }

    void storesReadsAndRemovesThroughTheKeychain()
    {
        QString error;
        QVERIFY2(SecretStore::write(SecretStore::Secret::TwentyApiKey, QStringLiteral("key-ünïcode-🔑"), &error), qPrintable(error));
        QCOMPARE(SecretStore::read(SecretStore::Secret::TwentyApiKey, &error), QStringLiteral("key-ünïcode-🔑"));
        QVERIFY2(SecretStore::remove(SecretStore::Secret::TwentyApiKey, &error), qPrintable(error));
        error.clear();
        QCOMPARE(SecretStore::read(SecretStore::Secret::TwentyApiKey, &error), QString());
        QVERIFY(!error.isEmpty()); // "entry not found" — said, not swallowed
    }

    void theEnvironmentWins()
    {
        QString error;
        QVERIFY(SecretStore::write(SecretStore::Secret::SupabasePassword, QStringLiteral("from-keychain"), &error));
        qputenv("TF_SUPABASE_PASSWORD", "from-env");
        QCOMPARE(SecretStore::read(SecretStore::Secret::SupabasePassword), QStringLiteral("from-env"));
        qunsetenv("TF_SUPABASE_PASSWORD");
        QCOMPARE(SecretStore::read(SecretStore::Secret::SupabasePassword), QStringLiteral("from-keychain"));
    }

    void describesWhereItLooked()
    {
        const QString text = SecretStore::describe(SecretStore::Secret::TwentyApiKey);
        QVERIFY(text.contains(QStringLiteral("TF_TWENTY_API_KEY")));
        QVERIFY(text.contains(QStringLiteral("crm/api-key")));
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
