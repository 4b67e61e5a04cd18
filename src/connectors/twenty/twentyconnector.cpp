#include "connectors/twenty/twentyconnector.h"

#include "connectors/http/clockskewcheck.h"
#include "connectors/http/plaintextguard.h"
#include "connectors/twenty/personmapper.h"
#include "connectors/twenty/twentyfieldprovisioner.h"
#include "connectors/twenty/twentyfilter.h"
#include "connectors/twenty/twentywatermark.h"
#include "core/contactnormalizer.h"
#include "core/contenthash.h"
#include "core/logging.h"
#include "core/uuid7.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>
#include <algorithm>

namespace tf {

namespace {

const QString kPeople = QStringLiteral("/rest/people");
const QString kBatchPeople = QStringLiteral("/rest/batch/people");
const QString kPeopleKey = QStringLiteral("people");

// Twenty takes client-side ids of UUID versions 1–5 (§3.2, §9 #18); anything else in crm_id is not one of its ids.
bool isTwentyId(const QString &id)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"));
    return uuid.match(id).hasMatch();
}

QString newPersonId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces); // version 4
}

QString primaryEmailOf(const Contact &contact)
{
    return contact.list(field::Emails).value(0);
}

QString primaryEmailOf(const QJsonObject &person)
{
    return ContactNormalizer::normalizedEmail(
        person.value(QStringLiteral("emails")).toObject().value(QStringLiteral("primaryEmail")).toString());
}

// Who a person is, for messages a person reads when two records collide.
QString describe(const QJsonObject &person)
{
    const QString contactId = PersonMapper::contactId(person);
    QString text = QStringLiteral("Twenty person %1 (%2)")
                       .arg(PersonMapper::personId(person),
                            contactId.isEmpty() ? QStringLiteral("created in Twenty, no tfContactId yet")
                                                : QStringLiteral("contact %1").arg(contactId));
    const QDateTime trashed = PersonMapper::deletedAt(person);
    if (trashed.isValid())
        text += QStringLiteral(", in the trash since %1").arg(ContactNormalizer::timestampText(trashed));
    return text;
}

Contact withoutDeletion(Contact contact)
{
    contact.setValue(field::DeletedAt, QVariant());
    return contact;
}

} // namespace

// One contact of a batch on its way to Twenty.
struct TwentyConnector::Pending {
    Contact contact;      // normalised
    QString personId;     // the id it has, or will have, in Twenty
    QJsonObject existing; // the person it matched; empty when Twenty holds none
    QJsonObject body;     // what the upsert sends
    bool upsert = true;   // false: a tombstone Twenty already holds, trashed, with this content
};

TwentyConnector::TwentyConnector(const CrmSettings &settings, const QString &apiKey, QObject *parent)
    : Connector(parent)
    , m_client(QUrl(settings.url), apiKey, settings.requestsPerMinute)
    , m_companies(m_client)
{
    PlaintextGuard::requireEncryption(Layer::Crm, QUrl(settings.url), settings.allowInsecure,
                                      QStringLiteral("the API key and every contact"));
    m_client.transport().setWaitObserver([this](qint64 ms, const QString &reason) { emit waiting(ms, reason); });
}

TwentyConnector::~TwentyConnector() = default;

void TwentyConnector::provision()
{
    const QStringList created = TwentyFieldProvisioner(m_client).provision();
    if (!created.isEmpty())
        qCInfo(lcTwenty).noquote() << "created custom fields on person:" << created.join(QStringLiteral(", "));
    m_schemaVerified = true;
}

// Reads and writes name the contract's custom fields; without them Twenty answers 400 on every request. Checked
// once per connector, so the error names what is missing instead.
void TwentyConnector::ensureSchema()
{
    if (m_schemaVerified)
        return;
    QStringList problems;
    for (const TwentyFieldState &state : TwentyFieldProvisioner(m_client).inspect()) {
        if (!state.ok())
            problems.append(state.problem());
    }
    if (!problems.isEmpty()) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Schema,
                             QStringLiteral("person's custom fields do not match the contract: %1; run `tfsync provision`")
                                 .arg(problems.join(QStringLiteral("; "))));
    }
    m_schemaVerified = true;
}

ChangePage TwentyConnector::readChanges(const QString &watermark, int limit)
{
    TwentyWatermark position = TwentyWatermark::decode(watermark);
    ensureSchema();
    limit = std::max(1, limit);
    QList<QJsonObject> rows;
    ChangePage page;
    page.hasMore = readStream(position.updated, QStringLiteral("updatedAt"), limit, rows);
    page.hasMore = readStream(position.deleted, QStringLiteral("deletedAt"), limit - int(rows.size()), rows)
        || page.hasMore;

    QList<QJsonObject> people;
    for (const QJsonObject &row : std::as_const(rows)) {
        if (!PersonMapper::contactId(row).isEmpty())
            people.append(row);
        else if (!PersonMapper::deletedAt(row).isValid())
            people.append(mintContactId(row));
        // A person created and trashed in Twenty before the sync saw it never reached another layer: nothing to do.
    }
    page.contacts = toContacts(people);
    page.nextWatermark = position.encode();
    return page;
}

// Pages one stream forward until `want` new versions are collected or the scan ends; true when more are waiting.
bool TwentyConnector::readStream(TwentyStream &stream, const QString &stampField, int want, QList<QJsonObject> &rows)
{
    if (want <= 0)
        return true; // not asked this time; the next call looks
    const QDateTime from = stream.from.isValid() ? stream.from : QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    const QueryItems query{{QStringLiteral("filter"), TwentyFilter::atLeast(stampField, from)},
                           {QStringLiteral("order_by"), stampField + QStringLiteral("[AscNullsFirst]")}};
    while (want > 0) {
        const TwentyPage page =
            m_client.page(kPeople, kPeopleKey, query, std::min(want, TwentyClient::kMaxPageSize), stream.cursor);
        m_client.requireProgress(kPeople, stream.cursor, page);
        for (const QJsonValue &value : page.records) {
            const QJsonObject person = value.toObject();
            const QString id = PersonMapper::personId(person);
            const QDateTime stamp = stampField == QLatin1String("updatedAt") ? PersonMapper::updatedAt(person)
                                                                              : PersonMapper::deletedAt(person);
            if (id.isEmpty() || !stamp.isValid()) {
                const QByteArray text = QJsonDocument(person).toJson(QJsonDocument::Compact).left(200);
                throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                                     QStringLiteral("GET %1: a person without id or %2 in the answer: %3")
                                         .arg(kPeople, stampField, QString::fromUtf8(text)));
            }
            if (stream.reportedAlready(id, stamp))
                continue; // inside the overlap of the previous scan, already reported in this version
            stream.report(id, stamp, m_overlapMs);
            const auto same = std::find_if(rows.begin(), rows.end(),
                                           [&id](const QJsonObject &row) { return PersonMapper::personId(row) == id; });
            if (same != rows.end()) {
                *same = person; // the newer version of a person this page already holds
            } else {
                rows.append(person);
                --want;
            }
        }
        if (!page.hasNextPage) {
            stream.finishScan(m_overlapMs);
            return false;
        }
        stream.cursor = page.endCursor;
    }
    return true;
}

// A person created in Twenty by a human gets its contact_id here, written back so it stays the same for good.
// The write bumps updatedAt, so the person comes round once more as an unchanged echo.
QJsonObject TwentyConnector::mintContactId(const QJsonObject &person)
{
    QDateTime created = ContactNormalizer::parseTimestamp(person.value(QStringLiteral("createdAt")).toString());
    if (!created.isValid())
        created = QDateTime::currentDateTimeUtc();
    const QString contactId = createUuid7(created);
    const QString personId = PersonMapper::personId(person);
    qCInfo(lcTwenty).noquote() << "person" << personId << "has no tfContactId; minted" << contactId;
    const QJsonValue updated = m_client.call("PATCH", kPeople + QLatin1Char('/') + personId, {},
                                             QJsonObject{{PersonMapper::contactIdField(), contactId}},
                                             QStringLiteral("updatePerson"));
    if (PersonMapper::contactId(updated.toObject()) != contactId) {
        throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                             QStringLiteral("PATCH %1/%2: the answer does not carry the minted tfContactId %3")
                                 .arg(kPeople, personId, contactId));
    }
    return updated.toObject();
}

QList<Contact> TwentyConnector::toContacts(const QList<QJsonObject> &people)
{
    QStringList companyIds;
    for (const QJsonObject &person : people)
        companyIds.append(PersonMapper::companyId(person));
    const QHash<QString, QString> names = m_companies.namesForIds(companyIds);
    QList<Contact> contacts;
    for (const QJsonObject &person : people) {
        const QString companyId = PersonMapper::companyId(person);
        if (!companyId.isEmpty() && !names.contains(companyId)) {
            qCWarning(lcTwenty).noquote() << "person" << PersonMapper::personId(person) << "points to company"
                                          << companyId << "which Twenty does not hold; organization read as empty";
        }
        contacts.append(PersonMapper::fromPerson(person, names.value(companyId)));
    }
    return contacts;
}

// Every person (trash included) whose field holds one of the values; like-pattern filters may add others, so
// callers match exactly.
QList<QJsonObject> TwentyConnector::findPeople(const QList<QPair<QString, QStringList>> &valuesByField)
{
    QList<QJsonObject> people;
    QSet<QString> ids;
    for (const QString &filter : TwentyFilter::anyOfChunked(valuesByField)) {
        const QJsonArray rows =
            m_client.all(kPeople, kPeopleKey, {{QStringLiteral("filter"), TwentyFilter::includingDeleted(filter)}});
        for (const QJsonValue &row : rows) {
            const QJsonObject person = row.toObject();
            if (!ids.contains(PersonMapper::personId(person))) {
                ids.insert(PersonMapper::personId(person));
                people.append(person);
            }
        }
    }
    return people;
}

QList<Contact> TwentyConnector::readByIds(const QStringList &contactIds)
{
    ensureSchema();
    const QSet<QString> wanted(contactIds.cbegin(), contactIds.cend());
    QList<QJsonObject> people;
    for (const QJsonObject &person : findPeople({{PersonMapper::contactIdField(), contactIds}})) {
        if (wanted.contains(PersonMapper::contactId(person)))
            people.append(person);
    }
    return toContacts(people);
}

QStringList TwentyConnector::vanishedContactIds(const QStringList &held)
{
    ensureSchema();
    const QJsonArray everyone = m_client.all(
        kPeople, kPeopleKey,
        {{QStringLiteral("filter"), QStringLiteral("or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)")},
         {QStringLiteral("fields"), QStringLiteral("id,deletedAt,") + PersonMapper::contactIdField()}});
    QSet<QString> present;
    for (const QJsonValue &row : everyone)
        present.insert(PersonMapper::contactId(row.toObject()));
    QStringList missing;
    for (const QString &id : held) {
        if (!present.contains(id))
            missing.append(id);
    }
    return missing;
}

WriteResult TwentyConnector::writeBatch(const QList<Contact> &contacts, const ExpectedVersions &expected)
{
    ensureSchema();
    WriteResult result;
    for (qsizetype start = 0; start < contacts.size(); start += kBatchMax)
        writeChunk(contacts.mid(start, kBatchMax), expected, result);
    return result;
}

void TwentyConnector::writeChunk(const QList<Contact> &contacts, const ExpectedVersions &expected, WriteResult &result)
{
    QList<Pending> pending;
    for (const Contact &contact : contacts) {
        const QString id = contact.id();
        pending.removeIf([&id](const Pending &p) { return p.contact.id() == id; }); // the last version wins
        Pending p;
        p.contact = ContactNormalizer::normalized(contact);
        pending.append(p);
    }
    // Twenty has no conditional update: plan() checks the expected versions with the lookup it makes anyway, and
    // the upsert (and each tombstone's DELETE) must follow it at once. Waiting for rate-limit tokens in between
    // would widen the window in which an edit made in Twenty is overwritten, so the tokens are awaited first.
    const auto tombstones
        = std::count_if(pending.cbegin(), pending.cend(), [](const Pending &p) { return p.contact.isDeleted(); });
    m_client.awaitRequestBudget(2 + int(tombstones));
    plan(pending, expected, result);
    QHash<QString, QJsonObject> records = upsert(pending, result);

    QStringList reread;
    QHash<QString, TwentyReply> restoreAnswers;
    for (const Pending &p : std::as_const(pending)) {
        const QString path = kPeople + QLatin1Char('/') + p.personId;
        if (p.contact.isDeleted()) {
            if (!p.upsert) {
                records.insert(p.personId, p.existing);
                continue;
            }
            // 404: already trashed, e.g. by this very request sent again after its answer was lost.
            const TwentyReply reply = m_client.send("DELETE", path, {{QStringLiteral("soft_delete"), QStringLiteral("true")}});
            if (!reply.ok() && reply.status != 404)
                throw m_client.error(reply);
            reread.append(p.personId);
        } else if (PersonMapper::deletedAt(records.value(p.personId)).isValid()) {
            // The upsert un-deletes on current servers (§3.6); restore explicitly where it did not. The answer
            // matters less than the state read back below (a restore sent twice finds nothing to restore).
            const TwentyReply reply = m_client.send("PATCH", path + QStringLiteral("/restore"));
            restoreAnswers.insert(p.personId, reply);
            reread.append(p.personId);
        }
    }
    if (!reread.isEmpty()) {
        for (const QJsonObject &person : findPeople({{QStringLiteral("id"), reread}}))
            records.insert(PersonMapper::personId(person), person);
    }
    for (auto it = restoreAnswers.cbegin(); it != restoreAnswers.cend(); ++it) {
        if (PersonMapper::deletedAt(records.value(it.key())).isValid())
            throw m_client.error(*it, QStringLiteral("person %1 is still in the trash").arg(it.key()));
    }

    QList<QJsonObject> stored;
    for (const Pending &p : std::as_const(pending)) {
        const QJsonObject record = records.value(p.personId);
        if (PersonMapper::contactId(record) != p.contact.id()) {
            throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                                 QStringLiteral("POST %1: Twenty's answer lacks person %2 of contact %3")
                                     .arg(kBatchPeople, p.personId, p.contact.id()));
        }
        stored.append(record);
    }
    result.stored.append(toContacts(stored));
}

// Matches each contact to the person it is in Twenty, drops the ones whose person moved since the write was planned,
// refuses what would overwrite someone else's record, and builds the upsert bodies. Moved and rejected contacts
// leave `pending`. The companies are resolved first (they may cost requests of their own), so that only local work
// separates the people lookup from the batch POST (see dropMoved).
void TwentyConnector::plan(QList<Pending> &pending, const ExpectedVersions &expected, WriteResult &result)
{
    QStringList contactIds, personIds, emails, organizations;
    for (const Pending &p : std::as_const(pending)) {
        contactIds.append(p.contact.id());
        if (isTwentyId(p.contact.text(field::CrmId)))
            personIds.append(p.contact.text(field::CrmId));
        emails.append(primaryEmailOf(p.contact));
        organizations.append(p.contact.text(field::Organization));
    }
    const QHash<QString, QString> companyIds = m_companies.idsForNames(organizations);
    QHash<QString, QJsonObject> byContactId, byPersonId, byEmail;
    for (const QJsonObject &person : findPeople({{PersonMapper::contactIdField(), contactIds},
                                                 {QStringLiteral("id"), personIds},
                                                 {PersonMapper::primaryEmailField(), emails}})) {
        if (!PersonMapper::contactId(person).isEmpty())
            byContactId.insert(PersonMapper::contactId(person), person);
        byPersonId.insert(PersonMapper::personId(person), person);
        if (!primaryEmailOf(person).isEmpty())
            byEmail.insert(primaryEmailOf(person), person);
    }
    dropMoved(pending, byContactId, expected, result);

    QHash<QString, QString> emailClaims; // primary email → contact id, inside this batch
    for (qsizetype i = 0; i < pending.size();) {
        Pending &p = pending[i];
        const QString id = p.contact.id();
        const QString crmId = p.contact.text(field::CrmId);
        const auto reject = [&](const QString &why) {
            result.rejected.insert(id, why);
            pending.removeAt(i);
        };
        QJsonObject person = byContactId.value(id);
        if (person.isEmpty() && byPersonId.contains(crmId)) {
            const QJsonObject candidate = byPersonId.value(crmId);
            if (!PersonMapper::contactId(candidate).isEmpty()) {
                reject(QStringLiteral("crm: contact %1 names crm_id %2, but that is %3").arg(id, crmId, describe(candidate)));
                continue;
            }
            person = candidate;
        }
        const QString email = primaryEmailOf(p.contact);
        if (!email.isEmpty()) {
            const QJsonObject holder = byEmail.value(email);
            if (!holder.isEmpty() && PersonMapper::personId(holder) != PersonMapper::personId(person)) {
                reject(QStringLiteral("crm: contact %1 has primary email %2, which %3 already holds; Twenty keeps "
                                      "primary emails unique, trash included (twenty-rest.md §9 #9): restore, merge or "
                                      "delete that person in Twenty, the sync leaves it alone")
                           .arg(id, email, describe(holder)));
                continue;
            }
            if (emailClaims.contains(email)) {
                reject(QStringLiteral("crm: contact %1 has primary email %2, as has contact %3 in the same batch; "
                                      "Twenty keeps primary emails unique")
                           .arg(id, email, emailClaims.value(email)));
                continue;
            }
            emailClaims.insert(email, id);
        }
        p.existing = person;
        p.personId = !person.isEmpty() ? PersonMapper::personId(person) : isTwentyId(crmId) ? crmId : newPersonId();
        if (p.contact.isDeleted() && PersonMapper::deletedAt(person).isValid()) {
            Contact sent = withoutDeletion(p.contact);
            sent.setValue(field::CrmId, p.personId);
            const Contact held = toContacts({person}).constFirst();
            p.upsert = ContentHash::of(sent) != ContentHash::of(withoutDeletion(held));
        }
        if (p.upsert) {
            QString error;
            const std::optional<QJsonObject> body = PersonMapper::toPerson(
                p.contact, p.personId, companyIds.value(p.contact.text(field::Organization)), &error);
            if (!body) {
                reject(QStringLiteral("crm: contact %1: %2").arg(id, error));
                continue;
            }
            p.body = *body;
        }
        ++i;
    }
}

// Twenty has no conditional update (no version or If-Match on a person), so the condition is checked on the people
// plan()'s lookup has just read: a contact whose person is no longer the version its write was planned from (edited,
// trashed or restored since, or created meanwhile by someone else) leaves the batch as `moved`, before any request
// touches it; that covers the upsert and the soft-delete and restore that follow it. The current person is mapped
// exactly as readByIds maps it (the same lookup answer, toContacts with the same company names), so a person
// nobody touched hashes as the planned version.
//
// The window that remains: an edit Twenty commits after the lookup's answer and before the batch POST reaches it
// is overwritten (for a tombstone, also one before its DELETE; after a refused batch, one before each record's own
// POST). Only local work lies between the lookup and the POST, plus any wait for a rate-limit token and the backoff
// of a retried POST. A second look just before the POST would only move the window, never close it, and would
// cost a request per batch out of Twenty's 100 a minute, the product's bottleneck.
//
// Cost: no request of its own; the lookup is the one the upsert needs anyway to find each person's id. Mapping
// the current people needs each company's name, which the connector caches (every company it resolved or read):
// only a person moved from outside to a company this connector never saw costs one GET /rest/companies for the
// batch (one per ~6,000 characters of ids in its filter; measured in tst_twentyconnector).
void TwentyConnector::dropMoved(QList<Pending> &pending, const QHash<QString, QJsonObject> &byContactId,
                                const ExpectedVersions &expected, WriteResult &result)
{
    if (expected.isEmpty())
        return;
    QList<QJsonObject> people;
    for (const Pending &p : std::as_const(pending)) {
        if (expected.constrains(p.contact.id()) && byContactId.contains(p.contact.id()))
            people.append(byContactId.value(p.contact.id()));
    }
    QHash<QString, Contact> current;
    for (const Contact &contact : toContacts(people))
        current.insert(contact.id(), contact);
    pending.removeIf([&](const Pending &p) {
        const QString id = p.contact.id();
        const auto found = current.constFind(id);
        if (expected.stillHolds(id, found != current.cend() ? std::optional<Contact>(*found) : std::nullopt))
            return false;
        result.moved.append(id);
        return true;
    });
}

// One batch upsert; when Twenty refuses the batch (400, atomic: nothing was written), each record alone, so one
// bad record does not sink the others. Returns the records Twenty answered with, by person id.
QHash<QString, QJsonObject> TwentyConnector::upsert(QList<Pending> &pending, WriteResult &result)
{
    QHash<QString, QJsonObject> records;
    const auto keep = [&records](const QJsonValue &answered) {
        for (const QJsonValue &row : answered.toArray())
            records.insert(PersonMapper::personId(row.toObject()), row.toObject());
    };
    const QueryItems query{{QStringLiteral("upsert"), QStringLiteral("true")}};
    const QString key = QStringLiteral("createPeople");
    QJsonArray bodies;
    for (const Pending &p : std::as_const(pending)) {
        if (p.upsert)
            bodies.append(p.body);
    }
    if (bodies.isEmpty())
        return records;
    const TwentyReply reply = m_client.send("POST", kBatchPeople, query, bodies);
    if (reply.ok()) {
        keep(m_client.data(reply, key));
        return records;
    }
    if (reply.status != 400)
        throw m_client.error(reply);
    if (bodies.size() > 1) {
        qCInfo(lcTwenty).noquote() << reply.request << "refused a batch of" << bodies.size() << "(" << reply.message
                                   << "); sending its records one by one to find the bad ones";
    }
    for (qsizetype i = 0; i < pending.size();) {
        const Pending &p = pending.at(i);
        if (!p.upsert) {
            ++i;
            continue;
        }
        const TwentyReply single = bodies.size() == 1 ? reply : m_client.send("POST", kBatchPeople, query, QJsonArray{p.body});
        if (single.ok()) {
            keep(m_client.data(single, key));
            ++i;
            continue;
        }
        if (single.status != 400)
            throw m_client.error(single);
        QString why = QStringLiteral("crm: contact %1 refused: %2: %3 %4")
                          .arg(p.contact.id(), single.request)
                          .arg(single.status)
                          .arg(single.message);
        const QString email = primaryEmailOf(p.contact);
        if (!email.isEmpty() && single.message.contains(QRegularExpression(QStringLiteral("duplicate|already exists"),
                                                                            QRegularExpression::CaseInsensitiveOption)))
            why += QStringLiteral(" (%1)").arg(emailHolderDescription(email));
        result.rejected.insert(p.contact.id(), why);
        pending.removeAt(i);
    }
    return records;
}

// Twenty words a unique violation as raw Postgres text (§9 #11): name the person who holds the email.
QString TwentyConnector::emailHolderDescription(const QString &email)
{
    for (const QJsonObject &person : findPeople({{PersonMapper::primaryEmailField(), {email}}})) {
        if (primaryEmailOf(person) == email)
            return QStringLiteral("primary email %1 is held by %2").arg(email, describe(person));
    }
    return QStringLiteral("no person with primary email %1 was found").arg(email);
}

QList<HealthCheck> TwentyConnector::healthChecks()
{
    HealthCheck reachable{QStringLiteral("reachable"), false, false, QString(), QString()};
    HealthCheck credentials{QStringLiteral("credentials"), false, false, QString(), QString()};
    HealthCheck schema{QStringLiteral("schema"), false, false, QString(), QString()};
    HealthCheck headroom{QStringLiteral("rate-limit headroom"), true, false, QString(), QString()};
    try {
        m_client.call("GET", kPeople, {{QStringLiteral("limit"), QStringLiteral("1")}}, QJsonValue::Undefined, kPeopleKey);
        reachable.ok = credentials.ok = true;
        reachable.message = QStringLiteral("Twenty answers at %1").arg(m_client.baseUrl().toString());
        credentials.message = QStringLiteral("the API key is accepted");
    } catch (const ConnectorError &error) {
        // No HTTP answer at all: a bad URL, a refused connection, a timeout.
        const bool answered = error.kind() != ConnectorError::Kind::Configuration
            && error.kind() != ConnectorError::Kind::Unreachable
            && !(error.kind() == ConnectorError::Kind::Transient && error.message().contains(QLatin1String("no answer")));
        reachable.ok = answered;
        reachable.message = answered ? QStringLiteral("Twenty answers at %1").arg(m_client.baseUrl().toString())
                                     : error.message();
        reachable.hint = answered ? QString() : QStringLiteral("check [crm] url and that Twenty is running");
        credentials.message = answered ? error.message() : QStringLiteral("not checked: Twenty did not answer");
        if (error.kind() == ConnectorError::Kind::Authentication)
            credentials.hint = QStringLiteral("create an API key in Twenty (Settings → APIs & Webhooks) and set "
                                              "TF_TWENTY_API_KEY or store it in the keychain");
    }
    if (credentials.ok) {
        try {
            QStringList problems;
            const QList<TwentyFieldState> states = TwentyFieldProvisioner(m_client).inspect();
            for (const TwentyFieldState &state : states) {
                if (!state.ok())
                    problems.append(state.problem());
            }
            schema.ok = problems.isEmpty();
            m_schemaVerified = schema.ok;
            schema.message = schema.ok ? QStringLiteral("person has the contract's %1 custom fields").arg(states.size())
                                       : problems.join(QStringLiteral("; "));
            if (!schema.ok)
                schema.hint = QStringLiteral("run `tfsync provision`");
        } catch (const ConnectorError &error) {
            schema.message = error.message();
        }
    } else {
        schema.message = QStringLiteral("not checked: no authenticated access");
    }
    const double tokens = m_client.rateLimitTokens().value_or(0.0);
    const double capacity = m_client.rateLimitCapacity();
    headroom.warning = tokens < capacity * 0.1;
    headroom.message = QStringLiteral("%1 of %2 requests/min left in the client-side bucket")
                           .arg(int(tokens))
                           .arg(int(capacity));
    if (headroom.warning)
        headroom.hint = QStringLiteral("Twenty allows %1 requests/min per workspace, shared by every API key (§6)")
                            .arg(int(capacity));
    // Twenty's updatedAt is its own clock and the watermark follows it, so only a person reading times is misled.
    return {reachable, credentials, schema, headroom,
            ClockSkewCheck::of(m_client.clockSkewMs(), QStringLiteral("times shown next to Twenty's are off"))};
}

} // namespace tf
