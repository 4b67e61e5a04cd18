#pragma once

#include "core/layer.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QStringList>

namespace tf::test {

class OutsideEditor;

// One committed outside edit: a person (or a program) set `field` of a contact in one layer to a value nobody had
// used before, so the value alone tells where any copy of it came from.
struct Edit {
    int serial = 0;  // 1, 2, ... in the order the edits were committed
    qint64 atMs = 0; // when it was committed, since the log started
    QDateTime at;    // the same moment, wall clock (UTC)
    Layer layer = Layer::Local;
    QString contactId;
    QString field;
    QString value;
    bool duringCycle = false; // made while a tfsync cycle was running
    int conflictGroup = 0;    // > 0: one of a deliberate same-field conflict's edits (they share the number)

    QString describe() const; // "edit #12 (+3.456 s, 12:00:01.234Z) in supabase during a cycle"
};

// Every edit of a test run, in commit order, plus what each (contact, field) held before the first edit: the
// history the checker holds the layers to.
class EditLog {
public:
    explicit EditLog(QString tag = QStringLiteral("e"));

    void recordBaseline(const QString &contactId, const QString &field, const QString &value);
    bool hasBaseline(const QString &contactId, const QString &field) const;
    QString baseline(const QString &contactId, const QString &field) const;
    QStringList baselineKeys() const; // "contact|field"

    // Sets a fresh value through `editor` and records the edit once it is committed. A refused attempt (a locked
    // SQLite file, a full DML queue, a busy server) is retried with the same value, which is idempotent; after
    // `attempts` refusals nothing is recorded and the last error is returned in `error`.
    const Edit *edit(OutsideEditor &editor, Layer layer, const QString &contactId, const QString &field,
                     bool duringCycle, int conflictGroup = 0, QString *error = nullptr, int attempts = 8);
    const Edit &record(Layer layer, const QString &contactId, const QString &field, const QString &value,
                       bool duringCycle, int conflictGroup = 0);
    int newConflictGroup() { return ++m_groups; }
    // The value the next edit in `layer` would set: "<tag><serial>-<layer>".
    QString nextValue(Layer layer) const;

    const QList<Edit> &edits() const { return m_edits; }
    QList<Edit> editsOf(const QString &contactId, const QString &field) const;
    QStringList editedKeys() const; // "contact|field", in first-edit order
    // The edit that set `value`, if any (values are unique).
    const Edit *editSetting(const QString &value) const;
    qint64 elapsedMs() const { return m_clock.elapsed(); }

    static QString key(const QString &contactId, const QString &field);

private:
    QString m_tag;
    QElapsedTimer m_clock;
    QList<Edit> m_edits;
    QHash<QString, QList<int>> m_byKey; // "contact|field" → indexes into m_edits
    QStringList m_keyOrder;
    QHash<QString, int> m_byValue;
    QHash<QString, QString> m_baseline;
    QStringList m_baselineOrder;
    int m_groups = 0;
};

} // namespace tf::test
