#include "support/emulatorprocess.h"
#include "twentytestclient.h"

#include <QtTest>

using tf::test::TwentyReply;
using tf::test::TwentyTestClient;

namespace {

const QByteArray kKey = "listing-key";
const QString kPersonObjectId = QStringLiteral("c1d2e3f4-0a1b-4c2d-8e3f-405162738495");
// The spec's example cursors (§2.2) and the record they point at.
const QString kRecordId = QStringLiteral("3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11");
const QString kDefaultOrderCursor = QStringLiteral("eyJpZCI6IjNmNmMxYTJlLThiN2QtNGMxZS05YTU1LTJmMGQ2YjllNGExMSJ9");
const QString kUpdatedAtCursor = QStringLiteral(
    "eyJ1cGRhdGVkQXQiOiIyMDI2LTAzLTAyVDA5OjE1OjI3LjExOFoiLCJpZCI6IjNmNmMxYTJlLThiN2QtNGMxZS05YTU1LTJmMGQ2YjllNGExMSJ9");

QString filterQuery(const QString &filter)
{
    return TwentyTestClient::query({{QStringLiteral("filter"), filter}});
}

QStringList firstNames(const QJsonArray &people)
{
    QStringList names;
    for (const QJsonValue &person : people)
        names.append(person.toObject().value(QStringLiteral("name")).toObject().value(QStringLiteral("firstName")).toString());
    return names;
}

} // namespace

// Listing through tf-twenty-emulator (twenty-rest.md §2): paging, cursors byte for byte, order_by, the filter
// grammar, the deletedAt rule.
class TestTwentyListing : public QObject
{
    Q_OBJECT

    tf::test::EmulatorProcess m_emulator;
    std::unique_ptr<TwentyTestClient> m_client;

    TwentyReply list(const QList<QPair<QString, QString>> &query)
    {
        return m_client->get(QStringLiteral("/rest/people") + TwentyTestClient::query(query));
    }

    void freezeClock(const QJsonValue &instant)
    {
        m_client->admin("POST", QStringLiteral("clock"), {{QStringLiteral("freezeAt"), instant}});
    }

    void createBatch(const QJsonArray &people)
    {
        const TwentyReply reply = m_client->post(QStringLiteral("/rest/batch/people"), people);
        QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
    }

    QJsonObject person(const QString &first, const QString &last, const QJsonValue &city, const QJsonValue &jobTitle,
                       double position, const QString &email)
    {
        return {{QStringLiteral("name"), QJsonObject{{QStringLiteral("firstName"), first}, {QStringLiteral("lastName"), last}}},
                {QStringLiteral("city"), city},
                {QStringLiteral("jobTitle"), jobTitle},
                {QStringLiteral("position"), position},
                {QStringLiteral("emails"), QJsonObject{{QStringLiteral("primaryEmail"), email}}}};
    }

    // Four people with nulls in places, a NUMBER and an ARRAY custom field.
    void seedPioneers()
    {
        for (const auto &[name, type] : {QPair<QString, QString>{QStringLiteral("leadScore"), QStringLiteral("NUMBER")},
                                         QPair<QString, QString>{QStringLiteral("tags"), QStringLiteral("ARRAY")}}) {
            const TwentyReply field = m_client->post(QStringLiteral("/rest/metadata/fields"),
                                                     QJsonObject{{QStringLiteral("objectMetadataId"), kPersonObjectId},
                                                                 {QStringLiteral("name"), name},
                                                                 {QStringLiteral("label"), name},
                                                                 {QStringLiteral("type"), type}});
            QVERIFY2(field.status == 201, qPrintable(field.describe()));
        }
        QJsonObject ada = person(QStringLiteral("Ada"), QStringLiteral("Lovelace"), QStringLiteral("London"),
                                 QStringLiteral("Chief Analyst"), 1, QStringLiteral("ada@example.com"));
        ada.insert(QStringLiteral("leadScore"), 42);
        ada.insert(QStringLiteral("tags"), QJsonArray{QStringLiteral("vip")});
        QJsonObject grace = person(QStringLiteral("Grace"), QStringLiteral("Hopper"), QStringLiteral("Arlington"), QJsonValue(), 2,
                                   QStringLiteral("grace@navy.example"));
        grace.insert(QStringLiteral("leadScore"), 5);
        QJsonObject alan = person(QStringLiteral("Alan"), QStringLiteral("Turing"), QStringLiteral("London"),
                                  QStringLiteral("Cryptanalyst"), 3, QStringLiteral("alan@bletchley.example"));
        alan.insert(QStringLiteral("tags"), QJsonArray{QStringLiteral("speaker"), QStringLiteral("math")});
        const QJsonObject edsger = person(QStringLiteral("Edsger"), QStringLiteral("Dijkstra"), QJsonValue(),
                                          QStringLiteral("Professor"), 4, QStringLiteral("edsger@tue.example"));
        createBatch({ada, grace, alan, edsger});
    }

private slots:
    void initTestCase()
    {
        const QString error = m_emulator.start(QStringLiteral("tf-twenty-emulator"),
                                               {QStringLiteral("--api-key"), QString::fromLatin1(kKey),
                                                QStringLiteral("--rate-short"), QStringLiteral("1000000/1000"),
                                                QStringLiteral("--rate-long"), QStringLiteral("1000000/60000")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_client = std::make_unique<TwentyTestClient>(m_emulator.baseUrl(), kKey);
    }

    void init()
    {
        m_client->admin("POST", QStringLiteral("reset"));
        freezeClock(QJsonValue());
    }

    void pagingVisitsEveryRecordOnce()
    {
        constexpr int kPeople = 2500;
        for (int start = 0; start < kPeople; start += 60) {
            QJsonArray batch;
            for (int i = start; i < qMin(kPeople, start + 60); ++i)
                batch.append(QJsonObject{{QStringLiteral("city"), QStringLiteral("City %1").arg(i % 7)}});
            createBatch(batch);
        }
        QSet<QString> seen;
        QString cursor;
        int pages = 0;
        for (;;) {
            QList<QPair<QString, QString>> query{{QStringLiteral("limit"), QStringLiteral("200")},
                                                 {QStringLiteral("order_by"), QStringLiteral("city[DescNullsLast]")}};
            if (!cursor.isEmpty())
                query.append({QStringLiteral("starting_after"), cursor});
            const TwentyReply page = list(query);
            QVERIFY2(page.status == 200, qPrintable(page.describe()));
            ++pages;
            const QJsonArray people = page.data().value(QStringLiteral("people")).toArray();
            QVERIFY(people.size() <= 200);
            QCOMPARE(page.object().value(QStringLiteral("totalCount")).toInt(), kPeople);
            QVERIFY(!page.data().contains(QStringLiteral("pageInfo"))); // top level only (§9 #2)
            for (const QJsonValue &p : people) {
                const QString id = p.toObject().value(QStringLiteral("id")).toString();
                QVERIFY2(!seen.contains(id), qPrintable(id));
                seen.insert(id);
            }
            const QJsonObject pageInfo = page.object().value(QStringLiteral("pageInfo")).toObject();
            QCOMPARE(pageInfo.value(QStringLiteral("hasPreviousPage")).toBool(), !cursor.isEmpty());
            if (!pageInfo.value(QStringLiteral("hasNextPage")).toBool())
                break;
            cursor = pageInfo.value(QStringLiteral("endCursor")).toString();
            QVERIFY(pages < 20);
        }
        QCOMPARE(seen.size(), kPeople);
        QCOMPARE(pages, 13);
    }

    void limitDefaultsClampsAndRejects()
    {
        QJsonArray batch;
        for (int i = 0; i < 60; ++i)
            batch.append(QJsonObject());
        for (int round = 0; round < 4; ++round)
            createBatch(batch);
        QCOMPARE(m_client->get(QStringLiteral("/rest/people")).data().value(QStringLiteral("people")).toArray().size(), 60);
        const TwentyReply clamped = list({{QStringLiteral("limit"), QStringLiteral("1000")}});
        QCOMPARE(clamped.data().value(QStringLiteral("people")).toArray().size(), 200);
        QCOMPARE(clamped.object().value(QStringLiteral("pageInfo")).toObject().value(QStringLiteral("hasNextPage")).toBool(), true);
        const TwentyReply abc = list({{QStringLiteral("limit"), QStringLiteral("abc")}});
        QCOMPARE(abc.status, 400);
        QCOMPARE(abc.object(), QJsonDocument::fromJson(R"({"statusCode":400,"error":"BadRequestException","messages":["limit 'abc' is invalid. Should be an integer"]})").object());
        QCOMPARE(list({{QStringLiteral("limit"), QStringLiteral("-1")}}).status, 400);
        // An unknown parameter is ignored: `after` is not starting_after (§9 #1).
        const TwentyReply ignored = list({{QStringLiteral("after"), QStringLiteral("whatever")}, {QStringLiteral("limit"), QStringLiteral("5")}});
        QCOMPARE(ignored.status, 200);
        QCOMPARE(ignored.data().value(QStringLiteral("people")).toArray().size(), 5);
    }

    void specCursorsAreReproducedByteForByte()
    {
        freezeClock(QStringLiteral("2026-03-02T09:15:27.118Z"));
        QCOMPARE(m_client->post(QStringLiteral("/rest/people"), QJsonObject{{QStringLiteral("id"), kRecordId}}).status, 201);
        const TwentyReply byId = m_client->get(QStringLiteral("/rest/people"));
        QCOMPARE(byId.object().value(QStringLiteral("pageInfo")).toObject().value(QStringLiteral("startCursor")).toString(), kDefaultOrderCursor);
        const TwentyReply byUpdatedAt = list({{QStringLiteral("order_by"), QStringLiteral("updatedAt[AscNullsFirst]")}});
        const QJsonObject pageInfo = byUpdatedAt.object().value(QStringLiteral("pageInfo")).toObject();
        QCOMPARE(pageInfo.value(QStringLiteral("startCursor")).toString(), kUpdatedAtCursor);
        QCOMPARE(pageInfo.value(QStringLiteral("endCursor")).toString(), kUpdatedAtCursor);
        // The cursor is base64 of JSON.stringify({...orderByValues, id}): keys in order, no spaces.
        QCOMPARE(QByteArray::fromBase64(kUpdatedAtCursor.toLatin1()),
                 QByteArray(R"({"updatedAt":"2026-03-02T09:15:27.118Z","id":"3f6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"})"));
    }

    void specCursorsPageFromTheirRecord()
    {
        const QStringList ids{QStringLiteral("1a6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"), kRecordId,
                              QStringLiteral("5d6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11"), QStringLiteral("9e6c1a2e-8b7d-4c1e-9a55-2f0d6b9e4a11")};
        freezeClock(QStringLiteral("2026-03-02T09:15:27.118Z"));
        createBatch({QJsonObject{{QStringLiteral("id"), ids.at(0)}}, QJsonObject{{QStringLiteral("id"), ids.at(1)}}});
        freezeClock(QStringLiteral("2026-03-02T09:15:28.000Z"));
        createBatch({QJsonObject{{QStringLiteral("id"), ids.at(2)}}, QJsonObject{{QStringLiteral("id"), ids.at(3)}}});
        const auto pageIds = [](const TwentyReply &reply) {
            QStringList found;
            for (const QJsonValue &p : reply.data().value(QStringLiteral("people")).toArray())
                found.append(p.toObject().value(QStringLiteral("id")).toString());
            return found;
        };
        QCOMPARE(pageIds(list({{QStringLiteral("starting_after"), kDefaultOrderCursor}})), ids.mid(2));
        QCOMPARE(pageIds(list({{QStringLiteral("order_by"), QStringLiteral("updatedAt[AscNullsFirst]")},
                               {QStringLiteral("starting_after"), kUpdatedAtCursor}})),
                 ids.mid(2));
        QCOMPARE(pageIds(list({{QStringLiteral("order_by"), QStringLiteral("updatedAt[AscNullsFirst]")},
                               {QStringLiteral("ending_before"), kUpdatedAtCursor}})),
                 ids.mid(0, 1));
        // The default-order cursor lacks updatedAt, which this order needs.
        const TwentyReply mismatched = list({{QStringLiteral("order_by"), QStringLiteral("updatedAt")},
                                             {QStringLiteral("starting_after"), kDefaultOrderCursor}});
        QCOMPARE(mismatched.status, 400);
    }

    void invalidCursorIsRejected()
    {
        const TwentyReply reply = list({{QStringLiteral("starting_after"), QStringLiteral("invalid-cursor")}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.object().value(QStringLiteral("error")).toString(), QStringLiteral("BadRequestException"));
        QCOMPARE(reply.message(), QStringLiteral("Invalid cursor: invalid-cursor"));
    }

    void endingBeforePagesBackward()
    {
        seedPioneers();
        const TwentyReply all = list({{QStringLiteral("order_by"), QStringLiteral("position")}, {QStringLiteral("limit"), QStringLiteral("4")}});
        QCOMPARE(firstNames(all.data().value(QStringLiteral("people")).toArray()),
                 (QStringList{QStringLiteral("Ada"), QStringLiteral("Grace"), QStringLiteral("Alan"), QStringLiteral("Edsger")}));
        const QString end = all.object().value(QStringLiteral("pageInfo")).toObject().value(QStringLiteral("endCursor")).toString();
        const TwentyReply before = list({{QStringLiteral("order_by"), QStringLiteral("position")},
                                         {QStringLiteral("ending_before"), end},
                                         {QStringLiteral("limit"), QStringLiteral("2")}});
        QCOMPARE(firstNames(before.data().value(QStringLiteral("people")).toArray()),
                 (QStringList{QStringLiteral("Grace"), QStringLiteral("Alan")}));
        const QJsonObject pageInfo = before.object().value(QStringLiteral("pageInfo")).toObject();
        QCOMPARE(pageInfo.value(QStringLiteral("hasPreviousPage")).toBool(), true);
        QCOMPARE(pageInfo.value(QStringLiteral("hasNextPage")).toBool(), true);
    }

    void orderByDirectionsAndNulls_data()
    {
        QTest::addColumn<QString>("orderBy");
        QTest::addColumn<QStringList>("expected");
        // city: Ada London, Grace Arlington, Alan London, Edsger null; London ties break on id, i.e. insertion here.
        QTest::newRow("AscNullsFirst") << QStringLiteral("city[AscNullsFirst],position")
                                       << QStringList{QStringLiteral("Edsger"), QStringLiteral("Grace"), QStringLiteral("Ada"), QStringLiteral("Alan")};
        QTest::newRow("AscNullsLast") << QStringLiteral("city[AscNullsLast],position")
                                      << QStringList{QStringLiteral("Grace"), QStringLiteral("Ada"), QStringLiteral("Alan"), QStringLiteral("Edsger")};
        QTest::newRow("DescNullsFirst") << QStringLiteral("city[DescNullsFirst],position[DescNullsLast]")
                                        << QStringList{QStringLiteral("Edsger"), QStringLiteral("Alan"), QStringLiteral("Ada"), QStringLiteral("Grace")};
        QTest::newRow("DescNullsLast") << QStringLiteral("city[DescNullsLast],position")
                                       << QStringList{QStringLiteral("Ada"), QStringLiteral("Alan"), QStringLiteral("Grace"), QStringLiteral("Edsger")};
        QTest::newRow("default direction") << QStringLiteral("position")
                                           << QStringList{QStringLiteral("Ada"), QStringLiteral("Grace"), QStringLiteral("Alan"), QStringLiteral("Edsger")};
        QTest::newRow("sub-field") << QStringLiteral("name.lastName[DescNullsLast]")
                                   << QStringList{QStringLiteral("Alan"), QStringLiteral("Ada"), QStringLiteral("Grace"), QStringLiteral("Edsger")};
        QTest::newRow("custom number") << QStringLiteral("leadScore[AscNullsLast],position")
                                       << QStringList{QStringLiteral("Grace"), QStringLiteral("Ada"), QStringLiteral("Alan"), QStringLiteral("Edsger")};
    }

    void orderByDirectionsAndNulls()
    {
        QFETCH(QString, orderBy);
        QFETCH(QStringList, expected);
        seedPioneers();
        const TwentyReply reply = list({{QStringLiteral("order_by"), orderBy}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(firstNames(reply.data().value(QStringLiteral("people")).toArray()), expected);
    }

    void orderByTieBreaksOnId()
    {
        QJsonArray batch;
        for (int i = 0; i < 30; ++i)
            batch.append(QJsonObject{{QStringLiteral("city"), QStringLiteral("Same")}});
        createBatch(batch);
        const QJsonArray people = list({{QStringLiteral("order_by"), QStringLiteral("city")}}).data().value(QStringLiteral("people")).toArray();
        QStringList idsInOrder;
        for (const QJsonValue &p : people)
            idsInOrder.append(p.toObject().value(QStringLiteral("id")).toString());
        QStringList sorted = idsInOrder;
        sorted.sort();
        QCOMPARE(idsInOrder, sorted);
    }

    void orderByErrors()
    {
        const TwentyReply desc = list({{QStringLiteral("order_by"), QStringLiteral("city[DESC]")}});
        QCOMPARE(desc.status, 400);
        QCOMPARE(desc.object(), QJsonDocument::fromJson(R"({"statusCode":400,"error":"BadRequestException","messages":["'order_by' direction 'DESC' invalid. Allowed values are 'AscNullsFirst', 'AscNullsLast', 'DescNullsFirst', 'DescNullsLast'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3"]})").object());
        QCOMPARE(list({{QStringLiteral("order_by"), QStringLiteral("name[AscNullsLast]")}}).status, 400);
        QCOMPARE(list({{QStringLiteral("order_by"), QStringLiteral("nope")}}).status, 400);
    }

    void totalCountIgnoresTheCursorAndEmptyPagesHaveNullCursors()
    {
        seedPioneers();
        const TwentyReply first = list({{QStringLiteral("filter"), QStringLiteral("position[lte]:3")}, {QStringLiteral("limit"), QStringLiteral("2")}});
        QCOMPARE(first.object().value(QStringLiteral("totalCount")).toInt(), 3);
        const QString end = first.object().value(QStringLiteral("pageInfo")).toObject().value(QStringLiteral("endCursor")).toString();
        const TwentyReply second = list({{QStringLiteral("filter"), QStringLiteral("position[lte]:3")},
                                         {QStringLiteral("limit"), QStringLiteral("2")},
                                         {QStringLiteral("starting_after"), end}});
        QCOMPARE(second.object().value(QStringLiteral("totalCount")).toInt(), 3);
        QCOMPARE(second.data().value(QStringLiteral("people")).toArray().size(), 1);
        QCOMPARE(second.object().value(QStringLiteral("pageInfo")).toObject().value(QStringLiteral("hasNextPage")).toBool(), false);

        const TwentyReply empty = list({{QStringLiteral("filter"), QStringLiteral("city[eq]:Nowhere")}});
        QCOMPARE(empty.object().value(QStringLiteral("totalCount")).toInt(), 0);
        const QJsonObject pageInfo = empty.object().value(QStringLiteral("pageInfo")).toObject();
        QVERIFY(pageInfo.value(QStringLiteral("startCursor")).isNull());
        QVERIFY(pageInfo.value(QStringLiteral("endCursor")).isNull());
        QCOMPARE(pageInfo.value(QStringLiteral("hasNextPage")).toBool(), false);
    }

    void filterGrammar_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("expected"); // first names, sorted
        const QString ada = QStringLiteral("Ada"), alan = QStringLiteral("Alan"), edsger = QStringLiteral("Edsger"),
                      grace = QStringLiteral("Grace");
        QTest::newRow("eq") << QStringLiteral("city[eq]:London") << QStringList{ada, alan};
        QTest::newRow("eq double quotes") << QStringLiteral("city[eq]:\"London\"") << QStringList{ada, alan};
        QTest::newRow("eq single quotes") << QStringLiteral("city[eq]:'London'") << QStringList{ada, alan};
        QTest::newRow("neq skips NULL") << QStringLiteral("city[neq]:London") << QStringList{grace};
        QTest::newRow("in") << QStringLiteral("city[in]:[\"London\",\"Arlington\"]") << QStringList{ada, alan, grace};
        QTest::newRow("is NULL") << QStringLiteral("city[is]:NULL") << QStringList{edsger};
        QTest::newRow("is NOT_NULL") << QStringLiteral("city[is]:NOT_NULL") << QStringList{ada, alan, grace};
        QTest::newRow("gt") << QStringLiteral("position[gt]:2") << QStringList{alan, edsger};
        QTest::newRow("gte") << QStringLiteral("position[gte]:2") << QStringList{alan, edsger, grace};
        QTest::newRow("lt") << QStringLiteral("position[lt]:2") << QStringList{ada};
        QTest::newRow("lte") << QStringLiteral("position[lte]:2") << QStringList{ada, grace};
        QTest::newRow("startsWith") << QStringLiteral("name.firstName[startsWith]:A") << QStringList{ada, alan};
        QTest::newRow("startsWith is case-sensitive") << QStringLiteral("name.firstName[startsWith]:a") << QStringList{};
        QTest::newRow("endsWith") << QStringLiteral("emails.primaryEmail[endsWith]:.example") << QStringList{alan, edsger, grace};
        QTest::newRow("like") << QStringLiteral("jobTitle[like]:%Analyst") << QStringList{ada};
        QTest::newRow("like is case-sensitive") << QStringLiteral("jobTitle[like]:%analyst") << QStringList{alan};
        QTest::newRow("like single character") << QStringLiteral("jobTitle[like]:Prof_ssor") << QStringList{edsger};
        QTest::newRow("ilike") << QStringLiteral("jobTitle[ilike]:%analyst") << QStringList{ada, alan};
        QTest::newRow("composite path") << QStringLiteral("emails.primaryEmail[eq]:ada@example.com") << QStringList{ada};
        QTest::newRow("or") << QStringLiteral("or(city[eq]:Arlington,position[gte]:4)") << QStringList{edsger, grace};
        QTest::newRow("and") << QStringLiteral("and(city[eq]:London,position[gt]:1)") << QStringList{alan};
        QTest::newRow("comma is and") << QStringLiteral("city[eq]:London,position[gt]:1") << QStringList{alan};
        QTest::newRow("not keeps NULL out") << QStringLiteral("not(city[eq]:London)") << QStringList{grace};
        QTest::newRow("nested") << QStringLiteral("or(not(city[eq]:London),city[is]:NULL)") << QStringList{edsger, grace};
        QTest::newRow("root list of conjunctions") << QStringLiteral("or(city[eq]:London),or(position[gt]:2)") << QStringList{alan};
        QTest::newRow("containsAny") << QStringLiteral("tags[containsAny]:[\"vip\",\"speaker\"]") << QStringList{ada, alan};
        QTest::newRow("custom number") << QStringLiteral("leadScore[gte]:10") << QStringList{ada};
        QTest::newRow("empty text is NULL") << QStringLiteral("jobTitle[eq]:\"\"") << QStringList{grace};
        QTest::newRow("date-time") << QStringLiteral("createdAt[gte]:\"2024-01-01\"") << QStringList{ada, alan, edsger, grace};
        QTest::newRow("spec example") << QStringLiteral("or(createdAt[gte]:\"2024-01-01\",createdAt[lte]:\"2023-01-01\",not(id[is]:NULL))")
                                      << QStringList{ada, alan, edsger, grace};
    }

    void filterGrammar()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, expected);
        seedPioneers();
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/people") + filterQuery(filter));
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QStringList names = firstNames(reply.data().value(QStringLiteral("people")).toArray());
        names.sort();
        QCOMPARE(names, expected);
        QCOMPARE(reply.object().value(QStringLiteral("totalCount")).toInt(), expected.size());
    }

    // Found by fuzz_twenty_filter: a like pattern holding a character outside the BMP (two UTF-16 units) was an
    // invalid expression in the stand-in and matched nothing.
    void likeMatchesCharactersOutsideTheBmp()
    {
        createBatch({person(QStringLiteral("Zoe"), QStringLiteral("Emoji"), QJsonValue(),
                            QStringLiteral("Chief \U0001F600 Officer"), 1, QStringLiteral("zoe@example.com"))});
        for (const QString &filter :
             {QStringLiteral("jobTitle[like]:\"%\U0001F600%\""), QStringLiteral("jobTitle[like]:\"Chief _ Officer\""),
              QStringLiteral("jobTitle[ilike]:\"chief \U0001F600%\"")}) {
            const TwentyReply reply = m_client->get(QStringLiteral("/rest/people") + filterQuery(filter));
            QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
            QCOMPARE(firstNames(reply.data().value(QStringLiteral("people")).toArray()),
                     QStringList{QStringLiteral("Zoe")});
        }
    }

    void filterErrors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("message");
        QTest::newRow("no comparator") << QStringLiteral("city") << QStringLiteral("'filter' invalid for 'city'. eg: price[gte]:10");
        QTest::newRow("unknown comparator") << QStringLiteral("city[contains]:x")
                                            << QStringLiteral("'filter' invalid for 'city[contains]:x', comparator contains not in eq, neq, in, "
                                                              "containsAny, is, gt, gte, lt, lte, startsWith, endsWith, like, ilike");
        QTest::newRow("in without list") << QStringLiteral("city[in]:London")
                                         << QStringLiteral("'filter' invalid for 'in' operator. Received 'London' but array value expected eg: "
                                                           "'field[in]:[value_1,value_2]'");
        QTest::newRow("not with two") << QStringLiteral("not(city[eq]:a,city[eq]:b)")
                                      << QStringLiteral("'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)");
        QTest::newRow("unbalanced") << QStringLiteral("and(city[eq]:a") << QStringLiteral("'filter' invalid. 1 close bracket is missing in the query");
        QTest::newRow("unknown field") << QStringLiteral("nope[eq]:1") << QStringLiteral("field 'nope' does not exist in 'person' object");
        QTest::newRow("number") << QStringLiteral("position[gt]:abc") << QStringLiteral("invalid input syntax for type double precision: \"abc\"");
        QTest::newRow("timestamp") << QStringLiteral("createdAt[gte]:yesterday")
                                   << QStringLiteral("invalid input syntax for type timestamp with time zone: \"yesterday\"");
    }

    void filterErrors()
    {
        QFETCH(QString, filter);
        QFETCH(QString, message);
        const TwentyReply reply = m_client->get(QStringLiteral("/rest/people") + filterQuery(filter));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.message(), message);
        QCOMPARE(m_client->get(QStringLiteral("/rest/people") + filterQuery(QStringLiteral("name[eq]:Ada"))).status, 400);
    }

    void softDeletedRowsShowOnlyWhenTheFilterNamesDeletedAt()
    {
        seedPioneers();
        const QString adaId = list({{QStringLiteral("filter"), QStringLiteral("name.firstName[eq]:Ada")}})
                                  .data().value(QStringLiteral("people")).toArray().first().toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(m_client->del(QStringLiteral("/rest/people/%1?soft_delete=true").arg(adaId)).status, 200);
        const auto namesFor = [&](const QString &filter) {
            QStringList names = firstNames(m_client->get(QStringLiteral("/rest/people") + (filter.isEmpty() ? QString() : filterQuery(filter)))
                                               .data().value(QStringLiteral("people")).toArray());
            names.sort();
            return names;
        };
        QCOMPARE(namesFor(QString()), (QStringList{QStringLiteral("Alan"), QStringLiteral("Edsger"), QStringLiteral("Grace")}));
        QCOMPARE(namesFor(QStringLiteral("city[eq]:London")), QStringList{QStringLiteral("Alan")});
        QCOMPARE(namesFor(QStringLiteral("deletedAt[is]:NOT_NULL")), QStringList{QStringLiteral("Ada")});
        QCOMPARE(namesFor(QStringLiteral("and(city[eq]:London,or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL))")),
                 (QStringList{QStringLiteral("Ada"), QStringLiteral("Alan")}));
    }

    void incrementalPullWithAnInclusiveWatermark()
    {
        // §0.4: filter=updatedAt[gte]:"<T>"&order_by=updatedAt[AscNullsFirst]; rows sharing a timestamp all come back.
        freezeClock(QStringLiteral("2026-03-01T00:00:00.000Z"));
        createBatch({QJsonObject{{QStringLiteral("city"), QStringLiteral("old")}}});
        freezeClock(QStringLiteral("2026-03-02T09:15:27.118Z"));
        createBatch({QJsonObject{{QStringLiteral("city"), QStringLiteral("a")}}, QJsonObject{{QStringLiteral("city"), QStringLiteral("b")}}});
        const TwentyReply reply = list({{QStringLiteral("filter"), QStringLiteral("updatedAt[gte]:\"2026-03-02T09:15:27.118Z\"")},
                                        {QStringLiteral("order_by"), QStringLiteral("updatedAt[AscNullsFirst]")}});
        QCOMPARE(reply.object().value(QStringLiteral("totalCount")).toInt(), 2);
        const TwentyReply offset = list({{QStringLiteral("filter"), QStringLiteral("updatedAt[gt]:\"2026-03-02T10:15:27.117+01:00\"")}});
        QCOMPARE(offset.object().value(QStringLiteral("totalCount")).toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(TestTwentyListing)
#include "tst_twentyemulator_listing.moc"
