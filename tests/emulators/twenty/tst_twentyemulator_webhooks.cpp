#include "support/emulatorprocess.h"
#include "twenty/webhookdispatcher.h"
#include "twentytestclient.h"

#include <QMessageAuthenticationCode>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using tf::test::TwentyReply;
using tf::test::TwentyTestClient;

namespace {

const QByteArray kKey = "webhook-key";
const QByteArray kSecret = "test-webhook-secret-0123456789abcdef";

struct ReceivedRequest {
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// The keys of a JSON object's top level, in the order the text has them.
QStringList topLevelKeys(const QByteArray &json)
{
    QStringList keys;
    int depth = 0;
    bool inString = false;
    bool expectKey = false;
    QByteArray current;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            if (c == '\\') {
                current += json.at(++i);
                continue;
            }
            if (c == '"') {
                inString = false;
                if (expectKey)
                    keys.append(QString::fromUtf8(current));
                expectKey = false;
                continue;
            }
            current += c;
            continue;
        }
        if (c == '"') {
            inString = true;
            current.clear();
        } else if (c == '{' || c == '[') {
            expectKey = (++depth == 1 && c == '{');
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectKey = true;
        }
    }
    return keys;
}

} // namespace

// An HTTP endpoint on 127.0.0.1 that records what it is sent and answers every request with one status.
class WebhookReceiver : public QObject
{
    Q_OBJECT
public:
    explicit WebhookReceiver(int status = 200)
        : m_status(status)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    QString url(const QString &path) const { return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path); }
    QList<ReceivedRequest> requests;

    QList<ReceivedRequest> to(const QString &path) const
    {
        QList<ReceivedRequest> matching;
        for (const ReceivedRequest &request : requests) {
            if (request.path == path.toUtf8())
                matching.append(request);
        }
        return matching;
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
            ReceivedRequest request;
            const QList<QByteArray> start = lines.first().trimmed().split(' ');
            request.method = start.value(0);
            request.path = start.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                request.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length").toLongLong();
            if (buffer.size() < headerEnd + 4 + length)
                return;
            request.body = buffer.mid(headerEnd + 4, length);
            buffer.remove(0, headerEnd + 4 + length);
            requests.append(request);
            socket->write("HTTP/1.1 " + QByteArray::number(m_status) + " Answer\r\nContent-Length: 0\r\n\r\n");
        }
    }

    int m_status;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// Webhooks (twenty-rest.md §7): registration, which writes fire which operations, the body and its signature,
// no retries.
class TestTwentyWebhooks : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<TwentyTestClient> m_client;

    QJsonObject registerWebhook(const QString &url, const QJsonArray &operations, const QByteArray &secret = kSecret)
    {
        QJsonObject body{{QStringLiteral("targetUrl"), url}, {QStringLiteral("operations"), operations}};
        if (!secret.isEmpty())
            body.insert(QStringLiteral("secret"), QString::fromLatin1(secret));
        const TwentyReply reply = m_client->post(QStringLiteral("/rest/metadata/webhooks"), body);
        return reply.status == 201 ? reply.object() : QJsonObject();
    }

    QString createPerson(const QJsonObject &body = {})
    {
        return m_client->post(QStringLiteral("/rest/people"), body).data().value(QStringLiteral("createPerson")).toObject()
            .value(QStringLiteral("id")).toString();
    }

    static QStringList eventNames(const QList<ReceivedRequest> &requests)
    {
        QStringList names;
        for (const ReceivedRequest &request : requests)
            names.append(request.json().value(QStringLiteral("eventName")).toString());
        names.sort();
        return names;
    }

private slots:
    void initTestCase()
    {
        const QString error = m_emulator.start(QStringLiteral("tf-twenty-emulator"),
                                               {QStringLiteral("--api-key"), QStringLiteral("Desktop Sync=webhook-key"),
                                                QStringLiteral("--rate-short"), QStringLiteral("1000000/1000"),
                                                QStringLiteral("--rate-long"), QStringLiteral("1000000/60000")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<TwentyTestClient>(m_emulator.baseUrl(), kKey);
    }

    void init()
    {
        m_client->admin("POST", QStringLiteral("reset"));
    }

    void conformanceVector()
    {
        const QByteArray body = TwentyTestClient::specExample(QStringLiteral("spec-7.3-vector-body.json"));
        QCOMPARE(body.size(), 596);
        const QByteArray expected = "e95551c68481b9c908a187a28f94a27265721c688020dffaa0236746d90acff8";
        QCOMPARE(QMessageAuthenticationCode::hash("1772443527190:" + body, kSecret, QCryptographicHash::Sha256).toHex(), expected);
        QCOMPARE(tf::emu::WebhookDispatcher::signature(kSecret, "1772443527190", body), expected);
        QCOMPARE(topLevelKeys(body), (QStringList{QStringLiteral("targetUrl"), QStringLiteral("eventName"), QStringLiteral("objectMetadata"),
                                                  QStringLiteral("workspaceId"), QStringLiteral("webhookId"), QStringLiteral("eventDate"),
                                                  QStringLiteral("record"), QStringLiteral("updatedFields")}));
    }

    void registrationAnswersBareEntities()
    {
        const QJsonObject request = QJsonDocument::fromJson(TwentyTestClient::specExample(QStringLiteral("spec-7.1-webhook-request.json"))).object();
        const TwentyReply created = m_client->post(QStringLiteral("/rest/metadata/webhooks"), request);
        QCOMPARE(created.status, 201);
        const QJsonObject webhook = created.object();
        QVERIFY(!webhook.contains(QStringLiteral("data")));
        for (const char *key : {"id", "targetUrl", "operations", "description", "secret", "createdAt", "updatedAt", "deletedAt"})
            QVERIFY2(webhook.contains(QLatin1String(key)), key);
        QCOMPARE(webhook.value(QStringLiteral("operations")).toArray(), QJsonArray{QStringLiteral("person.*")});
        QCOMPARE(webhook.value(QStringLiteral("targetUrl")).toString(), QStringLiteral("https://sync.example.com/twenty/webhook"));
        const QString id = webhook.value(QStringLiteral("id")).toString();

        const QJsonObject bare = m_client->post(QStringLiteral("/rest/metadata/webhooks"),
                                                QJsonObject{{QStringLiteral("targetUrl"), QStringLiteral("HTTPS://Sync.Example.com")}})
                                     .object();
        QCOMPARE(bare.value(QStringLiteral("targetUrl")).toString(), QStringLiteral("https://sync.example.com/")); // new URL(u).toString()
        QCOMPARE(bare.value(QStringLiteral("operations")).toArray(), QJsonArray{QStringLiteral("*.*")});

        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/webhooks")).json.toArray().size(), 2);
        QCOMPARE(m_client->get(QStringLiteral("/rest/webhooks/") + id).object().value(QStringLiteral("id")).toString(), id); // deprecated path
        const TwentyReply patched = m_client->patch(QStringLiteral("/rest/metadata/webhooks/") + id,
                                                    QJsonObject{{QStringLiteral("operations"), QJsonArray{QStringLiteral("*.*")}}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.object().value(QStringLiteral("operations")).toArray(), QJsonArray{QStringLiteral("*.*")});
        const TwentyReply deleted = m_client->del(QStringLiteral("/rest/webhooks/") + id);
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.body, QByteArray("true"));
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/webhooks/") + id).status, 404);
        QCOMPARE(m_client->post(QStringLiteral("/rest/metadata/webhooks"), QJsonObject{{QStringLiteral("targetUrl"), QStringLiteral("ftp://x.example")}}).status, 400);
        m_client->setApiKey({});
        QCOMPARE(m_client->get(QStringLiteral("/rest/metadata/webhooks")).status, 403);
        m_client->setApiKey(kKey);
    }

    void deliveriesAreSignedWithTheRawBody()
    {
        WebhookReceiver receiver;
        const QJsonObject webhook = registerWebhook(receiver.url(QStringLiteral("/hook")), {QStringLiteral("person.updated")});
        QVERIFY(!webhook.isEmpty());
        const QString id = createPerson({{QStringLiteral("jobTitle"), QStringLiteral("Analyst")}});
        const TwentyReply updated = m_client->patch(QStringLiteral("/rest/people/") + id, QJsonObject{{QStringLiteral("jobTitle"), QStringLiteral("Chief Analyst")}});
        QCOMPARE(updated.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 1, 5000);
        const ReceivedRequest &delivery = receiver.requests.first();
        QCOMPARE(delivery.method, QByteArray("POST"));
        QCOMPARE(delivery.path, QByteArray("/hook"));
        QVERIFY(delivery.headers.value("content-type").startsWith("application/json"));

        const QByteArray timestamp = delivery.headers.value("x-twenty-webhook-timestamp");
        QCOMPARE(timestamp.size(), 13); // milliseconds
        QVERIFY(qAbs(timestamp.toLongLong() - QDateTime::currentMSecsSinceEpoch()) < 60000);
        const QByteArray expected = QMessageAuthenticationCode::hash(timestamp + ':' + delivery.body, kSecret, QCryptographicHash::Sha256).toHex();
        QCOMPARE(delivery.headers.value("x-twenty-webhook-signature"), expected);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(QString::fromLatin1(delivery.headers.value("x-twenty-webhook-nonce"))).hasMatch());

        QCOMPARE(topLevelKeys(delivery.body), (QStringList{QStringLiteral("targetUrl"), QStringLiteral("eventName"), QStringLiteral("objectMetadata"),
                                                           QStringLiteral("workspaceId"), QStringLiteral("webhookId"), QStringLiteral("eventDate"),
                                                           QStringLiteral("record"), QStringLiteral("updatedFields")}));
        QVERIFY(!delivery.body.contains(": "));
        const QJsonObject body = delivery.json();
        QCOMPARE(body.value(QStringLiteral("targetUrl")).toString(), receiver.url(QStringLiteral("/hook")));
        QCOMPARE(body.value(QStringLiteral("eventName")).toString(), QStringLiteral("person.updated"));
        QCOMPARE(body.value(QStringLiteral("objectMetadata")).toObject(),
                 (QJsonObject{{QStringLiteral("id"), QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495")}, {QStringLiteral("nameSingular"), QStringLiteral("person")}}));
        QCOMPARE(body.value(QStringLiteral("workspaceId")).toString(), QStringLiteral("20202020-1c25-4d02-bf25-6aeccf7ea419"));
        QCOMPARE(body.value(QStringLiteral("webhookId")), webhook.value(QStringLiteral("id")));
        QVERIFY(QDateTime::fromString(body.value(QStringLiteral("eventDate")).toString(), Qt::ISODateWithMs).isValid());
        QCOMPARE(body.value(QStringLiteral("record")).toObject(), updated.data().value(QStringLiteral("updatePerson")).toObject());
        QCOMPARE(body.value(QStringLiteral("updatedFields")).toArray(), QJsonArray{QStringLiteral("jobTitle")});
        QVERIFY(!body.contains(QStringLiteral("userId")));
        QVERIFY(!body.contains(QStringLiteral("workspaceMemberId")));
    }

    void operationsSelectTheDeliveries()
    {
        WebhookReceiver receiver;
        const QList<QPair<QString, QString>> hooks{{QStringLiteral("/a"), QStringLiteral("person.updated")},
                                                   {QStringLiteral("/b"), QStringLiteral("*.updated")},
                                                   {QStringLiteral("/c"), QStringLiteral("person.*")},
                                                   {QStringLiteral("/d"), QStringLiteral("*.*")},
                                                   {QStringLiteral("/e"), QStringLiteral("company.*")},
                                                   {QStringLiteral("/f"), QStringLiteral("person.created")}};
        const QString id = createPerson();
        for (const auto &[path, operation] : hooks)
            QVERIFY(!registerWebhook(receiver.url(path), {operation}).isEmpty());
        QCOMPARE(m_client->patch(QStringLiteral("/rest/people/") + id, QJsonObject{{QStringLiteral("city"), QStringLiteral("Oslo")}}).status, 200);
        // An update is announced as updated and as upserted (the ORM's update events).
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 6, 5000);
        QTest::qWait(300);
        QCOMPARE(receiver.requests.size(), 6);
        QCOMPARE(eventNames(receiver.to(QStringLiteral("/a"))), QStringList{QStringLiteral("person.updated")});
        QCOMPARE(eventNames(receiver.to(QStringLiteral("/b"))), QStringList{QStringLiteral("person.updated")});
        QCOMPARE(eventNames(receiver.to(QStringLiteral("/c"))), (QStringList{QStringLiteral("person.updated"), QStringLiteral("person.upserted")}));
        QCOMPARE(eventNames(receiver.to(QStringLiteral("/d"))), (QStringList{QStringLiteral("person.updated"), QStringLiteral("person.upserted")}));
        QVERIFY(receiver.to(QStringLiteral("/e")).isEmpty());
        QVERIFY(receiver.to(QStringLiteral("/f")).isEmpty());
    }

    void everyKindOfWriteIsAnnounced()
    {
        WebhookReceiver receiver;
        QVERIFY(!registerWebhook(receiver.url(QStringLiteral("/all")), {QStringLiteral("*.*")}).isEmpty());
        const auto take = [&](int count) {
            // Too few arrive: the comparison after this shows which.
            (void)QTest::qWaitFor([&] { return receiver.requests.size() >= count; }, 5000);
            const QList<ReceivedRequest> seen = receiver.requests;
            receiver.requests.clear();
            return seen;
        };
        const QString id = createPerson({{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ada@example.com")}}}});
        QCOMPARE(eventNames(take(2)), (QStringList{QStringLiteral("person.created"), QStringLiteral("person.upserted")}));
        m_client->patch(QStringLiteral("/rest/people/") + id, QJsonObject{{QStringLiteral("city"), QStringLiteral("London")}});
        QCOMPARE(eventNames(take(2)), (QStringList{QStringLiteral("person.updated"), QStringLiteral("person.upserted")}));
        m_client->del(QStringLiteral("/rest/people/%1?soft_delete=true").arg(id));
        const QList<ReceivedRequest> deleted = take(1);
        QCOMPARE(eventNames(deleted), (QStringList{QStringLiteral("person.deleted")}));
        QVERIFY(!deleted.first().json().value(QStringLiteral("record")).toObject().value(QStringLiteral("deletedAt")).isNull());
        m_client->patch(QStringLiteral("/rest/people/%1/restore").arg(id), QJsonObject());
        QCOMPARE(eventNames(take(1)), (QStringList{QStringLiteral("person.restored")}));
        m_client->post(QStringLiteral("/rest/people?upsert=true"),
                       QJsonObject{{QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), QStringLiteral("ADA@example.com")}}},
                                   {QStringLiteral("city"), QStringLiteral("Paris")}});
        const QList<ReceivedRequest> upserted = take(2);
        QCOMPARE(eventNames(upserted), (QStringList{QStringLiteral("person.updated"), QStringLiteral("person.upserted")}));
        for (const ReceivedRequest &request : upserted) {
            if (request.json().value(QStringLiteral("eventName")) == QLatin1String("person.updated"))
                QCOMPARE(request.json().value(QStringLiteral("updatedFields")).toArray(), QJsonArray{QStringLiteral("city")});
            else
                QVERIFY(!request.json().contains(QStringLiteral("updatedFields")));
        }
        m_client->del(QStringLiteral("/rest/people/") + id);
        const QList<ReceivedRequest> destroyed = take(1);
        QCOMPARE(eventNames(destroyed), (QStringList{QStringLiteral("person.destroyed")}));
        QCOMPARE(destroyed.first().json().value(QStringLiteral("record")).toObject().value(QStringLiteral("city")).toString(), QStringLiteral("Paris"));
        m_client->post(QStringLiteral("/rest/companies"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Navy")}});
        const QList<ReceivedRequest> company = take(2);
        QCOMPARE(eventNames(company), (QStringList{QStringLiteral("company.created"), QStringLiteral("company.upserted")}));
        QCOMPARE(company.first().json().value(QStringLiteral("objectMetadata")).toObject().value(QStringLiteral("nameSingular")).toString(),
                 QStringLiteral("company"));
    }

    void withoutASecretThereAreNoSignatureHeaders()
    {
        WebhookReceiver receiver;
        QVERIFY(!registerWebhook(receiver.url(QStringLiteral("/plain")), {QStringLiteral("person.created")}, QByteArray()).isEmpty());
        createPerson();
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 1, 5000);
        for (const QByteArray &header : receiver.requests.first().headers.keys())
            QVERIFY2(!header.startsWith("x-twenty-webhook"), header.constData());
    }

    void failedDeliveriesAreNotRetried()
    {
        WebhookReceiver failing(500);
        QVERIFY(!registerWebhook(failing.url(QStringLiteral("/down")), {QStringLiteral("person.created")}).isEmpty());
        const QJsonObject unreachable = registerWebhook(QStringLiteral("http://127.0.0.1:1/closed"), {QStringLiteral("person.created")});
        QVERIFY(!unreachable.isEmpty());
        m_client->admin("DELETE", QStringLiteral("webhook-deliveries"));
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject()).status, 201); // the write does not wait for anyone
        QTRY_COMPARE_WITH_TIMEOUT(m_client->admin("GET", QStringLiteral("webhook-deliveries")).toArray().size(), 2, 5000);
        QTest::qWait(1000);
        QCOMPARE(failing.requests.size(), 1);
        const QJsonArray deliveries = m_client->admin("GET", QStringLiteral("webhook-deliveries")).toArray();
        QCOMPARE(deliveries.size(), 2);
        for (const QJsonValue &delivery : deliveries) {
            const QJsonObject outcome = delivery.toObject();
            if (outcome.value(QStringLiteral("webhookId")) == unreachable.value(QStringLiteral("id")))
                QVERIFY(!outcome.value(QStringLiteral("error")).toString().isEmpty());
            else
                QCOMPARE(outcome.value(QStringLiteral("status")).toInt(), 500);
        }
    }
};

QTEST_GUILESS_MAIN(TestTwentyWebhooks)
#include "tst_twentyemulator_webhooks.moc"
