#include "connectors/twenty/companyresolver.h"

#include "connectors/twenty/twentyclient.h"
#include "connectors/twenty/twentyfilter.h"

#include <QJsonObject>
#include <QUuid>
#include <algorithm>

namespace tf {

namespace {

const QString kPath = QStringLiteral("/rest/companies");
const QString kListKey = QStringLiteral("companies");
constexpr int kBatchMax = 60; // records per batch call (§3.5)

QString nameOf(const QJsonObject &company)
{
    return company.value(QStringLiteral("name")).toString();
}

} // namespace

CompanyResolver::CompanyResolver(TwentyClient &client)
    : m_client(client)
{
}

void CompanyResolver::remember(const QString &id, const QString &name)
{
    m_nameById.insert(id, name);
    if (!m_idByName.contains(name))
        m_idByName.insert(name, id);
}


QHash<QString, QString> CompanyResolver::idsForNames(const QStringList &names)
{
    QStringList unknown;
    for (const QString &name : names) {
        if (!name.isEmpty() && !m_idByName.contains(name) && !unknown.contains(name))
            unknown.append(name);
    }
    const QString field = QStringLiteral("name");
    for (const QString &filter : TwentyFilter::anyOfChunked({{field, unknown}})) {
        const QJsonArray found = m_client.all(kPath, kListKey,
                                              {{QStringLiteral("filter"), filter},
                                               {QStringLiteral("order_by"), QStringLiteral("createdAt[AscNullsFirst]")}});
        // The filter may match more than asked (like patterns); only exact names count, the oldest first.
        for (const QJsonValue &row : found) {
            const QJsonObject company = row.toObject();
            if (unknown.contains(nameOf(company)))
                remember(company.value(QStringLiteral("id")).toString(), nameOf(company));
        }
    }
    QJsonArray missing;
    for (const QString &name : std::as_const(unknown)) {
        if (!m_idByName.contains(name)) {
            // A client-side id makes the create idempotent: a retried request whose answer was lost upserts the
            // same company instead of adding a second one. Twenty takes UUID v4 ids (§9 #18).
            missing.append(QJsonObject{{QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                       {QStringLiteral("name"), name}});
        }
    }
    for (qsizetype start = 0; start < missing.size(); start += kBatchMax) {
        QJsonArray batch;
        for (qsizetype i = start; i < std::min(missing.size(), start + kBatchMax); ++i)
            batch.append(missing.at(i));
        const QJsonValue created = m_client.call("POST", QStringLiteral("/rest/batch/companies"),
                                                 {{QStringLiteral("upsert"), QStringLiteral("true")}}, batch,
                                                 QStringLiteral("createCompanies"));
        for (const QJsonValue &row : created.toArray())
            remember(row.toObject().value(QStringLiteral("id")).toString(), nameOf(row.toObject()));
    }
    QHash<QString, QString> ids;
    for (const QString &name : names) {
        if (name.isEmpty())
            continue;
        if (!m_idByName.contains(name)) {
            throw ConnectorError(Layer::Crm, ConnectorError::Kind::Internal,
                                 QStringLiteral("POST /rest/batch/companies: company '%1' is not among the companies "
                                                "Twenty answered with").arg(name));
        }
        ids.insert(name, m_idByName.value(name));
    }
    return ids;
}

QHash<QString, QString> CompanyResolver::namesForIds(const QStringList &ids)
{
    QStringList unknown;
    for (const QString &id : ids) {
        if (!id.isEmpty() && !m_nameById.contains(id) && !unknown.contains(id))
            unknown.append(id);
    }
    const QString field = QStringLiteral("id");
    for (const QString &filter : TwentyFilter::anyOfChunked({{field, unknown}})) {
        const QJsonArray found =
            m_client.all(kPath, kListKey, {{QStringLiteral("filter"), TwentyFilter::includingDeleted(filter)}});
        // Not remembered as the company of its name: a trashed company must not receive new people.
        for (const QJsonValue &row : found)
            m_nameById.insert(row.toObject().value(QStringLiteral("id")).toString(), nameOf(row.toObject()));
    }
    QHash<QString, QString> names;
    for (const QString &id : ids) {
        if (m_nameById.contains(id))
            names.insert(id, m_nameById.value(id));
    }
    return names;
}

} // namespace tf
