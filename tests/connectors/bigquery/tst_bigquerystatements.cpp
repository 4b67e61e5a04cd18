#include "connectors/bigquery/bigqueryerror.h"
#include "connectors/bigquery/bigquerywatermark.h"
#include "connectors/bigquery/contactstatements.h"
#include "connectors/bigquery/mergebatcher.h"
#include "connectors/bigquery/parameterencoder.h"
#include "connectors/bigquery/tableref.h"
#include "core/contactgenerator.h"
#include "core/syncconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

using namespace tf;

namespace {

HttpReply reply(int status, const QByteArray &reason = {}, const QByteArray &message = "m")
{
    HttpReply r;
    r.status = status;
    if (!reason.isEmpty()) {
        r.body = R"({"error":{"code":)" + QByteArray::number(status) + R"(,"message":")" + message
            + R"(","errors":[{"message":"x","domain":"global","reason":")" + reason + R"("}],"status":"X"}})";
    }
    return r;
}

} // namespace

// The text this connector sends: named parameters (§1.1), the MERGE of §2.5, the keyset SELECT, batch bounds,
// and the retry reading of error answers (§2.4, §3.3).
class TestBigQueryStatements : public QObject
{
    Q_OBJECT

    const TableRef m_table{QStringLiteral("test-project"), QStringLiteral("sync_ds"), QStringLiteral("contacts")};

private slots:
    void contactStructTypeFollowsTheRegistry()
    {
        const QJsonObject type = ParameterEncoder::contactType();
        QCOMPARE(type.value(QStringLiteral("type")).toString(), QStringLiteral("STRUCT"));
        const QJsonArray members = type.value(QStringLiteral("structTypes")).toArray();
        QCOMPARE(members.size(), FieldRegistry::count());
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            const QJsonObject member = members.at(spec.index).toObject();
            QCOMPARE(member.value(QStringLiteral("name")).toString(), spec.name);
            const QJsonObject memberType = member.value(QStringLiteral("type")).toObject();
            if (spec.bigqueryMode() == QLatin1String("REPEATED")) {
                QCOMPARE(memberType.value(QStringLiteral("type")).toString(), QStringLiteral("ARRAY"));
                QCOMPARE(memberType.value(QStringLiteral("arrayType")).toObject().value(QStringLiteral("type")).toString(),
                         spec.bigqueryBaseType());
            } else {
                QCOMPARE(memberType.value(QStringLiteral("type")).toString(), spec.bigqueryBaseType());
            }
        }
    }

    void valuesAreStringsNullsAndArrays()
    {
        Contact contact;
        contact.setId(QStringLiteral("id-1"));
        contact.setValue(QStringLiteral("full_name"), QString());
        contact.setValue(QStringLiteral("nickname"), QStringLiteral("O'Reilly \"x\" \\ \n"));
        contact.setValue(QStringLiteral("relationship_strength"), 0.1 + 0.2);
        contact.setValue(field::Emails, QStringList{QStringLiteral("a@x.org"), QStringLiteral("b@x.org")});
        contact.setValue(field::CreatedAt, QDateTime(QDate(2024, 1, 27), QTime(10, 30, 0, 123), Qt::UTC));
        contact.setValue(QStringLiteral("llm_topics"),
                         QVariant::fromValue(QJsonValue(QJsonObject{{QStringLiteral("b"), 1}, {QStringLiteral("a"), QJsonArray{true}}})));
        const QJsonObject values = ParameterEncoder::contactValue(contact).value(QStringLiteral("structValues")).toObject();
        QCOMPARE(values.size(), FieldRegistry::count());
        const auto value = [&](const char *name) { return values.value(QLatin1String(name)).toObject(); };
        QCOMPARE(value("contact_id"), (QJsonObject{{QStringLiteral("value"), QStringLiteral("id-1")}}));
        QCOMPARE(value("full_name"), (QJsonObject{{QStringLiteral("value"), QJsonValue()}})); // "" is NULL
        QCOMPARE(value("nickname").value(QStringLiteral("value")).toString(), QStringLiteral("O'Reilly \"x\" \\ \n"));
        QCOMPARE(value("relationship_strength").value(QStringLiteral("value")).toString(), QStringLiteral("0.30000000000000004"));
        QCOMPARE(value("emails").value(QStringLiteral("arrayValues")).toArray(),
                 (QJsonArray{QJsonObject{{QStringLiteral("value"), QStringLiteral("a@x.org")}},
                             QJsonObject{{QStringLiteral("value"), QStringLiteral("b@x.org")}}}));
        // A NULL array is sent as [] because that is what BigQuery stores for it (§1.3).
        QCOMPARE(value("phones"), (QJsonObject{{QStringLiteral("arrayValues"), QJsonArray()}}));
        QCOMPARE(value("created_at").value(QStringLiteral("value")).toString(), QStringLiteral("2024-01-27T10:30:00.123000Z"));
        QCOMPARE(value("deleted_at"), (QJsonObject{{QStringLiteral("value"), QJsonValue()}}));
        QCOMPARE(value("llm_topics").value(QStringLiteral("value")).toString(), QStringLiteral(R"({"a":[true],"b":1})"));
        QCOMPARE(value("llm_summary"), (QJsonObject{{QStringLiteral("value"), QJsonValue()}}));

        contact.setValue(QStringLiteral("relationship_strength"), std::numeric_limits<double>::quiet_NaN());
        QVERIFY(ParameterEncoder::contactValue(contact)
                    .value(QStringLiteral("structValues")).toObject()
                    .value(QStringLiteral("relationship_strength")).toObject()
                    .value(QStringLiteral("value")).isNull());
    }

    void scalarParameters()
    {
        QCOMPARE(ParameterEncoder::timestamp(QStringLiteral("ts"), Q_INT64_C(1706313600123456)),
                 (QJsonObject{{QStringLiteral("name"), QStringLiteral("ts")},
                              {QStringLiteral("parameterType"), QJsonObject{{QStringLiteral("type"), QStringLiteral("TIMESTAMP")}}},
                              {QStringLiteral("parameterValue"), QJsonObject{{QStringLiteral("value"), QStringLiteral("2024-01-27T00:00:00.123456Z")}}}}));
        QCOMPARE(ParameterEncoder::timestampText(-1), QStringLiteral("1969-12-31T23:59:59.999999Z"));
        const QJsonObject ids = ParameterEncoder::stringArray(QStringLiteral("ids"), {QStringLiteral("a"), QStringLiteral("b")});
        QCOMPARE(ids.value(QStringLiteral("parameterType")).toObject(),
                 (QJsonObject{{QStringLiteral("type"), QStringLiteral("ARRAY")},
                              {QStringLiteral("arrayType"), QJsonObject{{QStringLiteral("type"), QStringLiteral("STRING")}}}}));
        QCOMPARE(ids.value(QStringLiteral("parameterValue")).toObject().value(QStringLiteral("arrayValues")).toArray().size(), 2);
    }

    void mergeComparesEveryColumnNullSafely()
    {
        const QString merge = ContactStatements(m_table).merge();
        QVERIFY(merge.startsWith(QLatin1String("MERGE `test-project.sync_ds.contacts` T\nUSING UNNEST(@rows) S\nON T.contact_id = S.contact_id")));
        QVERIFY(!merge.contains(QLatin1String("DELETE")));
        for (const FieldSpec &spec : FieldRegistry::fields()) {
            if (spec.name == field::ContactId || spec.name == field::UpdatedAt)
                continue;
            const bool viaJson = spec.kind == FieldKind::Json || spec.kind == FieldKind::StringList;
            const QString condition = viaJson ? QStringLiteral("TO_JSON_STRING(T.%1) IS DISTINCT FROM TO_JSON_STRING(S.%1)").arg(spec.name)
                                              : QStringLiteral("T.%1 IS DISTINCT FROM S.%1").arg(spec.name);
            QVERIFY2(merge.contains(condition), qPrintable(spec.name));
            QVERIFY2(merge.contains(QStringLiteral("%1 = S.%1").arg(spec.name)), qPrintable(spec.name));
        }
        QVERIFY(merge.contains(QLatin1String("updated_at = CURRENT_TIMESTAMP()")));
        QVERIFY(!merge.contains(QLatin1String("S.updated_at")));
        // Each row's condition (ExpectedVersions): replace only the planned version, compared NULL-safely in
        // milliseconds; create only where nobody planned from a row.
        QVERIFY(merge.contains(QLatin1String(
            "WHEN MATCHED AND (S.unconditional OR (S.expect_present AND UNIX_MILLIS(T.updated_at) IS NOT DISTINCT FROM "
            "UNIX_MILLIS(S.expected_updated_at))) AND (")));
        QVERIFY(merge.contains(QLatin1String("WHEN NOT MATCHED AND (S.unconditional OR NOT S.expect_present) THEN")));
        const QRegularExpression insert(QStringLiteral("INSERT \\(([^)]*)\\) VALUES \\((.*)\\)$"));
        const QRegularExpressionMatch match = insert.match(merge);
        QVERIFY(match.hasMatch());
        QCOMPARE(match.captured(1), ContactStatements::columnList());
        QCOMPARE(match.captured(2).count(QLatin1String("S.")), FieldRegistry::count() - 1);
        QVERIFY(match.captured(2).contains(QLatin1String("CURRENT_TIMESTAMP()")));
    }

    void eachMergeRowCarriesItsCondition()
    {
        Contact version = ContactGenerator(3).next();
        version.setValue(field::UpdatedAt, QDateTime(QDate(2024, 1, 27), QTime(10, 30, 0, 123), Qt::UTC));
        Contact bare = ContactGenerator(4).next(); // a row an outside writer left without updated_at
        bare.setValue(field::UpdatedAt, QVariant());
        const QString fresh = QStringLiteral("fresh");
        ExpectedVersions expected;
        expected.expect(version.id(), version);
        expected.expect(bare.id(), bare);
        expected.expect(fresh, std::nullopt);
        const auto condition = [&](const QString &id) {
            Contact contact;
            contact.setId(id);
            const QJsonObject members
                = ParameterEncoder::mergeRowValue(contact, expected).value(QStringLiteral("structValues")).toObject();
            const auto text = [&members](const QString &name) {
                return members.value(name).toObject().value(QStringLiteral("value")).toString(QStringLiteral("NULL"));
            };
            return QStringList{QString::number(members.size() - FieldRegistry::count()),
                               text(QStringLiteral("unconditional")), text(QStringLiteral("expect_present")),
                               text(QStringLiteral("expected_updated_at"))};
        };
        QCOMPARE(condition(version.id()), (QStringList{"3", "false", "true", "2024-01-27T10:30:00.123000Z"}));
        QCOMPARE(condition(bare.id()), (QStringList{"3", "false", "true", "NULL"}));
        QCOMPARE(condition(fresh), (QStringList{"3", "false", "false", "NULL"}));
        QCOMPARE(condition(QStringLiteral("not constrained")), (QStringList{"3", "true", "false", "NULL"}));

        // The struct type has the same members, the condition after the contract's columns; none shadows a column.
        const QJsonArray types = ParameterEncoder::mergeRows(QStringLiteral("rows"), {})
                                     .value(QStringLiteral("parameterType"))
                                     .toObject()
                                     .value(QStringLiteral("arrayType"))
                                     .toObject()
                                     .value(QStringLiteral("structTypes"))
                                     .toArray();
        QCOMPARE(types.size(), FieldRegistry::count() + 3);
        QStringList tail;
        for (qsizetype i = FieldRegistry::count(); i < types.size(); ++i) {
            const QJsonObject member = types.at(i).toObject();
            QVERIFY(!FieldRegistry::find(member.value(QStringLiteral("name")).toString()));
            tail.append(member.value(QStringLiteral("name")).toString() + QLatin1Char(' ')
                        + member.value(QStringLiteral("type")).toObject().value(QStringLiteral("type")).toString());
        }
        QCOMPARE(tail, (QStringList{"unconditional BOOL", "expect_present BOOL", "expected_updated_at TIMESTAMP"}));
    }

    void keysetSelects()
    {
        const ContactStatements statements(m_table);
        const QString fromStart = statements.selectChanges(BigQueryWatermark(), 11);
        QVERIFY(!fromStart.contains(QLatin1String("WHERE")));
        QVERIFY(fromStart.endsWith(QLatin1String("FROM `test-project.sync_ds.contacts` ORDER BY updated_at, contact_id LIMIT 11")));
        QVERIFY(statements.selectChanges(BigQueryWatermark::after(5, QStringLiteral("x")), 3)
                    .contains(QLatin1String(" WHERE updated_at > @ts OR (updated_at = @ts AND contact_id > @id) ORDER BY")));
        QVERIFY(statements.selectChanges(BigQueryWatermark::after(std::nullopt, QStringLiteral("x")), 3)
                    .contains(QLatin1String(" WHERE updated_at IS NOT NULL OR contact_id > @id ORDER BY")));
        QCOMPARE(statements.selectByIds(),
                 QStringLiteral("SELECT %1 FROM `test-project.sync_ds.contacts` WHERE contact_id IN UNNEST(@ids)")
                     .arg(ContactStatements::columnList()));
    }

    void watermarkRoundTrips()
    {
        QCOMPARE(BigQueryWatermark().encode(), QString());
        QVERIFY(BigQueryWatermark::decode(QString()).atStart);
        const BigQueryWatermark mark = BigQueryWatermark::after(Q_INT64_C(1706313600123456), QStringLiteral("id \"quoted\""));
        const BigQueryWatermark back = BigQueryWatermark::decode(mark.encode());
        QVERIFY(!back.atStart);
        QCOMPARE(back.updatedAtMicros, std::optional<qint64>(Q_INT64_C(1706313600123456)));
        QCOMPARE(back.contactId, QStringLiteral("id \"quoted\""));
        const BigQueryWatermark nullZone = BigQueryWatermark::decode(BigQueryWatermark::after(std::nullopt, QStringLiteral("a")).encode());
        QVERIFY(!nullZone.atStart && !nullZone.updatedAtMicros);
        for (const char *bad : {"garbage", "{\"updated_at_us\":\"x\",\"contact_id\":\"a\"}", "{\"updated_at_us\":null}"})
            QVERIFY_THROWS_EXCEPTION(ConnectorError, BigQueryWatermark::decode(QString::fromLatin1(bad)));
    }

    void batchesStayWithinTheLimits()
    {
        ContactGenerator generator(7);
        const QList<Contact> contacts = generator.take(1500);
        QHash<QString, QString> rejected;
        const MergeLimits limits; // 500 rows, 10,000 parameters, 9 MB
        const QList<MergeBatch> batches = MergeBatcher(limits, 20000).split(contacts, {}, &rejected);
        QVERIFY(rejected.isEmpty());
        QStringList order;
        for (const MergeBatch &batch : batches) {
            QVERIFY(!batch.contacts.isEmpty());
            QVERIFY(batch.contacts.size() <= limits.maxRows);
            QVERIFY2(batch.parameters <= limits.maxParameters - 1, qPrintable(QString::number(batch.parameters)));
            QVERIFY(batch.bytes + 20000 <= limits.maxRequestBytes);
            QCOMPARE(batch.rowValues.size(), batch.contacts.size());
            // The bound is real: the rows' own JSON fits in what the batch counted.
            QVERIFY(QJsonDocument(batch.rowValues).toJson(QJsonDocument::Compact).size() <= batch.bytes + 2);
            for (const Contact &contact : batch.contacts)
                order.append(contact.id());
        }
        QStringList expected;
        for (const Contact &contact : contacts)
            expected.append(contact.id());
        QCOMPARE(order, expected);
        // 31 struct fields and the 3 of the condition per row: without the parameter bound one batch would hold 500.
        QVERIFY(batches.first().contacts.size() <= 9999 / (FieldRegistry::count() + 3));
    }

    void anOversizedRowIsRejectedAloneAndBytesSplitBatches()
    {
        QList<Contact> contacts;
        for (int i = 0; i < 6; ++i) {
            Contact contact;
            contact.setId(QStringLiteral("c%1").arg(i));
            contact.setValue(QStringLiteral("notes"), QString(i == 3 ? 3000 : 400, QLatin1Char('n')));
            contacts.append(contact);
        }
        QHash<QString, QString> rejected;
        MergeLimits limits;
        limits.maxRequestBytes = 3000;
        const QList<MergeBatch> batches = MergeBatcher(limits, 500).split(contacts, {}, &rejected);
        QCOMPARE(rejected.keys(), QStringList{QStringLiteral("c3")});
        QVERIFY2(rejected.value(QStringLiteral("c3")).contains(QLatin1String("one MERGE request holds at most 2500")),
                 qPrintable(rejected.value(QStringLiteral("c3"))));
        int total = 0;
        for (const MergeBatch &batch : batches) {
            QVERIFY(batch.bytes <= 2500);
            total += int(batch.contacts.size());
        }
        QCOMPARE(total, 5);
        QVERIFY(batches.size() >= 2);
    }

    void retryableRequestsFollowSection33()
    {
        HttpReply noAnswer;
        noAnswer.networkError = QStringLiteral("Connection refused");
        QVERIFY(BigQueryError::retryableRequest(noAnswer));
        for (int status : {408, 429, 500, 502, 503, 504})
            QVERIFY2(BigQueryError::retryableRequest(reply(status)), qPrintable(QString::number(status)));
        QVERIFY(BigQueryError::retryableRequest(reply(403, "rateLimitExceeded")));
        QVERIFY(BigQueryError::retryableRequest(reply(400, "backendError")));
        QVERIFY(BigQueryError::retryableRequest(reply(400, "internalError")));
        for (const char *reason : {"quotaExceeded", "invalidQuery", "notFound", "accessDenied", "duplicate", "invalid"})
            QVERIFY2(!BigQueryError::retryableRequest(reply(reason == QByteArray("notFound") ? 404 : 403, reason)), reason);
        QVERIFY(!BigQueryError::retryableRequest(reply(200)));
        QVERIFY(!BigQueryError::retryableRequest(reply(501)));
    }

    void dmlConflictsAreRetriedAsNewJobs()
    {
        QVERIFY(BigQueryError::fromReply(reply(400, "invalidQuery", "Could not serialize access to table p:d.t due to concurrent update")).retryableJob());
        QVERIFY(BigQueryError::fromReply(reply(400, "invalidQuery", "Transaction is aborted due to concurrent update against table p:d.t")).retryableJob());
        QVERIFY(BigQueryError::fromReply(reply(400, "resourcesExceeded", "Resources exceeded during query execution: Too many DML statements outstanding against table p:d.t, limit is 20")).retryableJob());
        QVERIFY(BigQueryError::fromReply(reply(400, "jobRateLimitExceeded")).retryableJob());
        QVERIFY(!BigQueryError::fromReply(reply(400, "invalidQuery", "Syntax error: Unexpected identifier")).retryableJob());
        QVERIFY(!BigQueryError::fromReply(reply(400, "resourcesExceeded", "Resources exceeded during query execution")).retryableJob());
    }

    void errorsNameTheLayerTheReasonAndTheTarget()
    {
        const ConnectorError notFound = BigQueryError::fromReply(reply(404, "notFound", "Not found: Table p:d.missing"))
                                            .toConnectorError(QStringLiteral("jobs.query"), QStringLiteral("read changes from p:d.missing"));
        QCOMPARE(notFound.layer(), Layer::BigQuery);
        QCOMPARE(notFound.kind(), ConnectorError::Kind::Schema);
        QVERIFY2(QString::fromUtf8(notFound.what()).startsWith(QLatin1String(
                     "bigquery: jobs.query (read changes from p:d.missing): 404 notFound: Not found: Table p:d.missing")),
                 notFound.what());
        QCOMPARE(BigQueryError::fromReply(reply(403, "accessDenied")).toConnectorError(QString(), QString()).kind(),
                 ConnectorError::Kind::Authentication);
        QCOMPARE(BigQueryError::fromReply(reply(403, "quotaExceeded")).toConnectorError(QString(), QString()).kind(),
                 ConnectorError::Kind::Transient);
        QCOMPARE(BigQueryError::fromReply(reply(400, "invalidQuery")).toConnectorError(QString(), QString()).kind(),
                 ConnectorError::Kind::Rejected);

        HttpReply html;
        html.status = 502;
        html.body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        const BigQueryError proxy = BigQueryError::fromReply(html);
        QVERIFY(proxy.reason.isEmpty());
        QVERIFY2(proxy.message.contains(QLatin1String("not a BigQuery error envelope: '<html><head><title>502 Bad Gateway")),
                 qPrintable(proxy.message));
        QCOMPARE(proxy.toConnectorError(QStringLiteral("jobs.query"), QStringLiteral("t"), 6).kind(), ConnectorError::Kind::Transient);
    }

    void tableNamesAreValidatedBeforeTheyReachSql()
    {
        BigQuerySettings settings;
        settings.dataset = QStringLiteral("sync_ds");
        settings.table = QStringLiteral("contacts");
        QCOMPARE(TableRef::fromSettings(settings, QStringLiteral("test-project")).sql(), QStringLiteral("`test-project.sync_ds.contacts`"));
        QCOMPARE(TableRef::fromSettings(settings, QStringLiteral("example.com:legacy-1")).display(),
                 QStringLiteral("example.com:legacy-1:sync_ds.contacts"));
        settings.table = QStringLiteral("contacts` WHERE 1=1 --");
        QVERIFY_THROWS_EXCEPTION(ConnectorError, TableRef::fromSettings(settings, QStringLiteral("test-project")));
        settings.table = QStringLiteral("contacts");
        settings.dataset.clear();
        QVERIFY_THROWS_EXCEPTION(ConnectorError, TableRef::fromSettings(settings, QStringLiteral("test-project")));
        QVERIFY_THROWS_EXCEPTION(ConnectorError, TableRef::fromSettings(settings, QStringLiteral("Bad_Project")));
    }
};

QTEST_GUILESS_MAIN(TestBigQueryStatements)
#include "tst_bigquerystatements.moc"
