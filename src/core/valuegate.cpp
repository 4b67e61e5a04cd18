#include "core/valuegate.h"

#include "core/contenthash.h"
#include "core/logging.h"

#include <QJsonArray>
#include <QJsonObject>

namespace tf {

ValueGate::ValueGate(StateDatabase *state, QString cycleId, bool dryRun)
    : m_state(state)
    , m_cycleId(std::move(cycleId))
    , m_dryRun(dryRun)
{
    // Read once for the page: such letters are few, and most contacts never had one.
    for (const DeadLetter &letter : m_state->deadLetters()) {
        if (!letter.field.isEmpty())
            m_letters.insert(letter.contactId, letter.layer);
    }
}

bool ValueGate::admit(const QString &contactId, const QMap<Layer, Contact> &versions, CycleReport &report)
{
    QMap<Layer, QList<RefusedValue>> refused;
    for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
        const QList<RefusedValue> found = ValueValidator::refusals(it.value(), it.key());
        if (!found.isEmpty())
            refused.insert(it.key(), found);
    }
    for (auto it = refused.cbegin(); it != refused.cend(); ++it) {
        ++report.rejected[it.key()];
        for (const RefusedValue &value : it.value())
            report.refusedValues << QStringLiteral("contact %1: %2").arg(contactId, value.message());
    }
    if (!m_dryRun && (!refused.isEmpty() || m_letters.contains(contactId)))
        record(contactId, versions, refused);
    return refused.isEmpty();
}

void ValueGate::record(const QString &contactId, const QMap<Layer, Contact> &versions,
                       const QMap<Layer, QList<RefusedValue>> &refused)
{
    StateTransaction transaction(m_state);
    for (Layer layer : m_letters.values(contactId)) {
        if (!refused.contains(layer)) {
            m_state->clearDeadLetter(contactId, layer);
            qCInfo(lcEngine).noquote() << QStringLiteral("contact %1: the values %2 holds can be carried again")
                                              .arg(contactId, layerName(layer));
        }
    }
    for (auto it = refused.cbegin(); it != refused.cend(); ++it) {
        QStringList messages;
        QJsonArray fields;
        for (const RefusedValue &value : it.value()) {
            messages << value.message();
            fields.append(value.field);
        }
        const QString error = messages.join(QStringLiteral("; "));
        m_state->addDeadLetter(contactId, it.key(), error, ContentHash::of(versions.value(it.key())),
                               it.value().first().field);
        const qint64 entry = m_state->journalPlanned(m_cycleId, contactId, it.key(), QStringLiteral("refused"),
                                                     QJsonObject{{QStringLiteral("fields"), fields}});
        m_state->journalFinished(entry, JournalEntry::Status::Failed,
                                 error + QStringLiteral("; nothing written anywhere until it is fixed in ")
                                     + layerName(it.key()));
        qCWarning(lcEngine).noquote() << QStringLiteral("contact %1 refused: %2").arg(contactId, error);
    }
    transaction.commit();
}

} // namespace tf
