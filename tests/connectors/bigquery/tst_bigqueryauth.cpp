#include "connectors/bigquery/accesstokenprovider.h"
#include "connectors/bigquery/bigqueryendpoint.h"
#include "connectors/bigquery/jwtsigner.h"
#include "connectors/bigquery/serviceaccountkey.h"
#include "core/connector.h"
#include "core/syncconfig.h"
#include "testkeys.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace tf;

// The JWT bearer flow's pure parts (bigquery-rest.md §4.2), checked with a key pair generated for this run and
// verified with OpenSSL's public-key side; and where credentials come from (§4.3, §5.2).
class TestBigQueryAuth : public QObject
{
    Q_OBJECT

    test::TestRsaKey m_key;
    QTemporaryDir m_dir;

    static QJsonObject decodePart(const QByteArray &part)
    {
        const auto bytes = QByteArray::fromBase64Encoding(part, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        return bytes ? QJsonDocument::fromJson(*bytes).object() : QJsonObject();
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return file.fileName();
    }

private slots:
    void initTestCase()
    {
        m_key = test::TestRsaKey::generate();
        QVERIFY(m_key.privatePem.startsWith("-----BEGIN PRIVATE KEY-----"));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        qunsetenv("BIGQUERY_EMULATOR_HOST");
        qunsetenv("GOOGLE_APPLICATION_CREDENTIALS");
    }

    void signsRs256WithTheKeyAndVerifiesWithThePublicHalf()
    {
        const JwtSigner signer(m_key.privatePem, QStringLiteral("kid-7"));
        const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("sync@p.iam.gserviceaccount.com")},
                                 {QStringLiteral("note"), QStringLiteral("ü?>>~~ needs URL-safe base64")}};
        const QByteArray jwt = signer.sign(claims);
        const QList<QByteArray> parts = jwt.split('.');
        QCOMPARE(parts.size(), 3);
        for (const QByteArray &part : parts) {
            QVERIFY2(!part.contains('=') && !part.contains('+') && !part.contains('/'), part.constData()); // base64url, no padding
        }
        QCOMPARE(decodePart(parts[0]), (QJsonObject{{QStringLiteral("alg"), QStringLiteral("RS256")},
                                                    {QStringLiteral("typ"), QStringLiteral("JWT")},
                                                    {QStringLiteral("kid"), QStringLiteral("kid-7")}}));
        QCOMPARE(decodePart(parts[1]), claims);

        const auto signature = QByteArray::fromBase64Encoding(parts[2], QByteArray::Base64UrlEncoding);
        QVERIFY(signature);
        QCOMPARE(signature.decoded.size(), 256); // RSA-2048
        QVERIFY(m_key.verify(parts[0] + '.' + parts[1], *signature));
        QVERIFY(!m_key.verify(parts[0] + '.' + parts[1] + 'x', *signature));
        QVERIFY(!test::TestRsaKey::generate().verify(parts[0] + '.' + parts[1], *signature));
    }

    void assertionCarriesTheClaimsOfTheJwtBearerFlow()
    {
        const ServiceAccountKey key = ServiceAccountKey::fromJson(
            m_key.serviceAccountJson(QStringLiteral("sync@test-project.iam.gserviceaccount.com"),
                                     QStringLiteral("http://127.0.0.1:1/token")),
            QStringLiteral("test"));
        HttpTransport transport(Layer::BigQuery);
        const QDateTime now(QDate(2024, 1, 27), QTime(0, 0), Qt::UTC);
        const AccessTokenProvider tokens(key, transport, [now] { return now; });
        const QList<QByteArray> parts = tokens.assertion().split('.');
        QCOMPARE(parts.size(), 3);
        const QJsonObject claims = decodePart(parts[1]);
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), QStringLiteral("sync@test-project.iam.gserviceaccount.com"));
        QCOMPARE(claims.value(QStringLiteral("scope")).toString(), QStringLiteral("https://www.googleapis.com/auth/bigquery"));
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), QStringLiteral("http://127.0.0.1:1/token"));
        QCOMPARE(claims.value(QStringLiteral("iat")).toInteger(), 1706313600);
        QCOMPARE(claims.value(QStringLiteral("exp")).toInteger(), 1706313600 + 3600);
        QCOMPARE(decodePart(parts[0]).value(QStringLiteral("kid")).toString(), QStringLiteral("test-key-1"));
        QVERIFY(m_key.verify(parts[0] + '.' + parts[1], *QByteArray::fromBase64Encoding(parts[2], QByteArray::Base64UrlEncoding)));
    }

    void unreachableTokenEndpointIsAClearError()
    {
        const ServiceAccountKey key = ServiceAccountKey::fromJson(
            m_key.serviceAccountJson(QStringLiteral("a@b.iam.gserviceaccount.com"), QStringLiteral("http://127.0.0.1:1/token")),
            QStringLiteral("test"));
        HttpTransport transport(Layer::BigQuery);
        transport.setRetryPolicy(RetryPolicy({2, 10, 10, 0.0}));
        AccessTokenProvider tokens(key, transport);
        try {
            tokens.authorization();
            QFAIL("no error");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.layer(), Layer::BigQuery);
            QCOMPARE(error.kind(), ConnectorError::Kind::Unreachable);
            QVERIFY2(error.message().contains(QLatin1String("token exchange at http://127.0.0.1:1/token")), error.what());
        }
    }

    void keyFileErrorsNameTheFileAndTheProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{oops") << QStringLiteral("not JSON");
        QTest::newRow("user login") << QByteArray("{\"type\":\"authorized_user\",\"refresh_token\":\"x\"}")
                                    << QStringLiteral("type is 'authorized_user'");
        QTest::newRow("no private key")
            << QByteArray("{\"type\":\"service_account\",\"client_email\":\"a@b\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}")
            << QStringLiteral("missing private_key");
        QTest::newRow("relative token uri")
            << QByteArray("{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\"k\",\"token_uri\":\"/token\"}")
            << QStringLiteral("not an absolute URL");
    }

    void keyFileErrorsNameTheFileAndTheProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QString path = writeFile(QStringLiteral("key.json"), json);
        try {
            ServiceAccountKey::fromFile(path);
            QFAIL("no error");
        } catch (const ConnectorError &error) {
            QCOMPARE(error.kind(), ConnectorError::Kind::Configuration);
            QVERIFY2(error.message().contains(path) && error.message().contains(expected), error.what());
        }
    }

    void aKeyThatIsNotAPrivateKeyIsRefusedAtOnce()
    {
        QVERIFY_THROWS_EXCEPTION(ConnectorError, JwtSigner(m_key.publicPem, QString()));
        QVERIFY_THROWS_EXCEPTION(ConnectorError, JwtSigner("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", QString()));
    }

    void googleNeedsAKeyAnEmulatorDoesNot()
    {
        BigQuerySettings settings;
        settings.project = QStringLiteral("demo-project");
        settings.dataset = QStringLiteral("ds");
        QVERIFY_THROWS_EXCEPTION(ConnectorError, BigQueryEndpoint::resolve(settings));

        settings.endpoint = QStringLiteral("http://127.0.0.1:9050/");
        BigQueryEndpoint endpoint = BigQueryEndpoint::resolve(settings);
        QVERIFY(endpoint.emulator);
        QVERIFY(!endpoint.key);
        QCOMPARE(endpoint.baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9050/bigquery/v2/")));

        // GOOGLE_APPLICATION_CREDENTIALS is for Google: a developer's real key never goes to a local emulator.
        const QString keyPath = writeFile(QStringLiteral("sa.json"),
                                          m_key.serviceAccountJson(QStringLiteral("sa@key-project.iam.gserviceaccount.com"),
                                                                   QStringLiteral("https://oauth2.googleapis.com/token"),
                                                                   QStringLiteral("key-project")));
        qputenv("GOOGLE_APPLICATION_CREDENTIALS", keyPath.toUtf8());
        QVERIFY(!BigQueryEndpoint::resolve(settings).key);

        // A key named in the config is used even against an emulator (that is how the token path is tested).
        settings.credentialsPath = keyPath;
        endpoint = BigQueryEndpoint::resolve(settings);
        QVERIFY(endpoint.key);
        QCOMPARE(endpoint.key->clientEmail, QStringLiteral("sa@key-project.iam.gserviceaccount.com"));

        settings.credentialsPath.clear();
        settings.endpoint.clear();
        settings.project.clear();
        endpoint = BigQueryEndpoint::resolve(settings);
        QVERIFY(!endpoint.emulator);
        QCOMPARE(endpoint.baseUrl, QUrl(QStringLiteral("https://bigquery.googleapis.com/bigquery/v2/")));
        QCOMPARE(endpoint.project, QStringLiteral("key-project")); // from the key when the config names none
        QVERIFY(endpoint.key);
    }

    // The keychain is read exactly when resolve() would use its key: Google's endpoint (also when named in the
    // config) and no key file named in the config or GOOGLE_APPLICATION_CREDENTIALS.
    void theKeychainIsAskedOnlyForGoogleWithoutAKeyFile()
    {
        const QByteArray savedCredentials = qgetenv("GOOGLE_APPLICATION_CREDENTIALS");
        const QByteArray savedHost = qgetenv("BIGQUERY_EMULATOR_HOST");
        qunsetenv("GOOGLE_APPLICATION_CREDENTIALS");
        qunsetenv("BIGQUERY_EMULATOR_HOST");
        BigQuerySettings settings;
        QVERIFY(BigQueryEndpoint::needsKeychainKey(settings));
        settings.endpoint = QStringLiteral("https://bigquery.googleapis.com/");
        QVERIFY(BigQueryEndpoint::needsKeychainKey(settings));
        settings.endpoint = QStringLiteral("http://127.0.0.1:9050");
        QVERIFY(!BigQueryEndpoint::needsKeychainKey(settings));
        settings.endpoint.clear();
        qputenv("BIGQUERY_EMULATOR_HOST", "127.0.0.1:9050");
        QVERIFY(!BigQueryEndpoint::needsKeychainKey(settings));
        qunsetenv("BIGQUERY_EMULATOR_HOST");
        settings.credentialsPath = QStringLiteral("/keys/sa.json");
        QVERIFY(!BigQueryEndpoint::needsKeychainKey(settings));
        settings.credentialsPath.clear();
        qputenv("GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json");
        QVERIFY(!BigQueryEndpoint::needsKeychainKey(settings));
        qputenv("GOOGLE_APPLICATION_CREDENTIALS", savedCredentials);
        qputenv("BIGQUERY_EMULATOR_HOST", savedHost);
        if (savedCredentials.isEmpty())
            qunsetenv("GOOGLE_APPLICATION_CREDENTIALS");
        if (savedHost.isEmpty())
            qunsetenv("BIGQUERY_EMULATOR_HOST");
    }

    void emulatorHostIsUsedVerbatimWithoutThePrefix()
    {
        BigQuerySettings settings;
        settings.project = QStringLiteral("demo-project");
        qputenv("BIGQUERY_EMULATOR_HOST", "127.0.0.1:9050");
        BigQueryEndpoint endpoint = BigQueryEndpoint::resolve(settings);
        QCOMPARE(endpoint.baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9050/")));
        QVERIFY(endpoint.emulator);
        QVERIFY(!endpoint.key);
        qputenv("BIGQUERY_EMULATOR_HOST", "http://localhost:9999");
        QCOMPARE(BigQueryEndpoint::resolve(settings).baseUrl, QUrl(QStringLiteral("http://localhost:9999/")));
    }

    void regionalGoogleEndpointStillNeedsAKey()
    {
        BigQuerySettings settings;
        settings.project = QStringLiteral("demo-project");
        settings.endpoint = QStringLiteral("https://bigquery.europe-west3.rep.googleapis.com");
        QVERIFY_THROWS_EXCEPTION(ConnectorError, BigQueryEndpoint::resolve(settings));
    }
};

QTEST_GUILESS_MAIN(TestBigQueryAuth)
#include "tst_bigqueryauth.moc"
