#pragma once

#include "core/cyclereport.h"
#include "core/statedatabase.h"
#include "core/valuevalidator.h"

#include <QMultiHash>

namespace tf {

// Lets a contact on to planning only when every layer's version of it can be carried exactly (ValueValidator).
// A contact that cannot is refused whole where it was read: a dead letter per layer holding such a value, naming
// the field and the reason, a failed journal entry, and nothing planned, so no layer is written and every layer
// keeps what it holds. Once the values are fixed in that layer (its change brings the contact back), the contact
// passes, its letters are cleared, and it is planned like any other.
class ValueGate {
public:
    // `dryRun`: decides the same, records nothing.
    ValueGate(StateDatabase *state, QString cycleId, bool dryRun);

    bool admit(const QString &contactId, const QMap<Layer, Contact> &versions, CycleReport &report);

private:
    void record(const QString &contactId, const QMap<Layer, Contact> &versions,
                const QMap<Layer, QList<RefusedValue>> &refused);

    StateDatabase *m_state;
    QString m_cycleId;
    bool m_dryRun;
    QMultiHash<QString, Layer> m_letters; // the refused-value dead letters before this gate ran, by contact
};

} // namespace tf
