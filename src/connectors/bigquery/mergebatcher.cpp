#include "connectors/bigquery/mergebatcher.h"

#include "connectors/bigquery/parameterencoder.h"

#include <QJsonDocument>

namespace tf {

MergeBatcher::MergeBatcher(const MergeLimits &limits, qint64 fixedBytes)
    : m_limits(limits)
    , m_fixedBytes(fixedBytes)
{
}

QList<MergeBatch> MergeBatcher::split(const QList<Contact> &contacts, const ExpectedVersions &expected,
                                      QHash<QString, QString> *rejected) const
{
    const qint64 rowBudget = m_limits.maxRequestBytes - m_fixedBytes;
    const int parameterBudget = m_limits.maxParameters - 1; // @rows itself is one
    QList<MergeBatch> batches;
    MergeBatch current;
    for (const Contact &contact : contacts) {
        const QJsonObject value = ParameterEncoder::mergeRowValue(contact, expected);
        const qint64 bytes = QJsonDocument(value).toJson(QJsonDocument::Compact).size() + 1; // + the comma
        const int parameters = ParameterEncoder::mergeRowValueCount(contact);
        if (bytes > rowBudget || parameters > parameterBudget) {
            rejected->insert(contact.id(),
                             bytes > rowBudget
                                 ? QStringLiteral("the row is %1 bytes as a query parameter; one MERGE request holds at most %2")
                                       .arg(bytes)
                                       .arg(rowBudget)
                                 : QStringLiteral("the row has %1 values; one MERGE request holds at most %2 parameters")
                                       .arg(parameters)
                                       .arg(parameterBudget));
            continue;
        }
        if (!current.contacts.isEmpty()
            && (current.contacts.size() >= m_limits.maxRows || current.bytes + bytes > rowBudget
                || current.parameters + parameters > parameterBudget)) {
            batches.append(current);
            current = MergeBatch();
        }
        current.contacts.append(contact);
        current.rowValues.append(value);
        current.bytes += bytes;
        current.parameters += parameters;
    }
    if (!current.contacts.isEmpty())
        batches.append(current);
    return batches;
}

} // namespace tf
