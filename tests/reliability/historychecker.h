#pragma once

#include "core/syncconfig.h"
#include "reliability/editlog.h"
#include "support/layerreader.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>
#include <optional>

namespace tf::test {

// The oracle of issue 8's promise: an edit committed in any layer at any moment either ends up in every layer or is
// held as a conflict; it is never silently reverted, and no contact is duplicated.
//
// For every (contact, field) the log knows:
// - plain edits (one owning layer at a time, so no two layers race on it): every layer must hold the value of the
//   last edit, unless `tfsync conflicts list` holds an open conflict for that contact and field;
// - a deliberate same-field conflict (a conflict group): the policy decides. merge: the bigquery edit's value
//   everywhere; last-writer-wins: the later edit's value everywhere; manual: an open conflict. An open conflict is
//   accepted under every policy (a person decides; nothing is lost). Every layer agreeing on a value the policy
//   did not pick is a decision against the policy;
// - never edited: every layer still holds the baseline.
// Every contact in `contactIds` must be held exactly once and live in every layer, and nothing else may be.
class HistoryChecker {
public:
    struct Counts {
        int edits = 0;
        int survived = 0;   // the last edit of its field, found in every layer
        int superseded = 0; // a later edit of the same field (same owning layer) replaced it
        int held = 0;       // its field is an open conflict
        int lost = 0;
        int lostInTwentyWindow
            = 0;             // overwritten between the sync's lookup and its write: Twenty has no conditional update
        int duringCycle = 0; // edits made while a cycle ran
        int lostDuringCycle = 0; // of the lost edits, those made while a cycle ran
        int conflictGroups = 0;
        int decidedPerPolicy = 0;
        int conflictsHeld = 0;
        int againstPolicy = 0;
        int conflictsLost = 0; // the layers ended on different values, or a value none of the edits set
        int untouchedChanged = 0;
        int duplicates = 0;
        int missingRows = 0;
    };

    HistoryChecker(const EditLog &log, ConflictPolicy policy);

    // The sync's Twenty requests from the stand-in's request log (user agent truthforge-sync): each write and the
    // lookup before it bound a window in which an edit made in Twenty is overwritten unseen (twenty-rest.md has no
    // conditional update). A lost Twenty edit inside one, whose layers all went back to the value before it, is
    // counted apart and measured, not failed.
    void setTwentyRequestLog(const QJsonArray &requests);

    // `openConflicts` is `tfsync conflicts list --json`.
    void check(const QMap<Layer, LayerSnapshot> &layers, const QJsonArray &openConflicts,
               const QStringList &contactIds);

    const Counts &counts() const { return m_counts; }
    bool passed() const;
    QStringList failures() const { return m_failures; } // one paragraph per problem
    QStringList notes() const { return m_notes; }       // what is not a failure but must be seen (Twenty's window)
    QStringList lostContactIds() const { return m_lostContacts; }
    QString summary(int kills, const QString &heading) const; // the table the suites print

private:
    QString holdings(const QString &contactId, const QString &field) const; // what each layer holds now
    QString origin(const QString &value, const QString &contactId, const QString &field) const;
    bool everyLayerHolds(const QString &contactId, const QString &field, const QString &value) const;
    std::optional<QString> commonValue(const QString &contactId, const QString &field) const;
    void checkPlain(const QList<Edit> &edits, bool held);
    void checkGroup(const QList<Edit> &edits, bool held);
    void checkUntouched(const QString &contactId, const QString &field);
    void checkRows(const QStringList &contactIds);

    const EditLog &m_log;
    ConflictPolicy m_policy;
    QMap<Layer, LayerSnapshot> m_layers;
    struct Window {
        qint64 lookupMs = 0;
        qint64 writeMs = 0;
    };
    const Window *twentyWindowAround(const Edit &edit) const;
    QList<Window> m_twentyWindows;
    QList<qint64> m_windowLengthsMs; // of the windows that cost an edit
    QSet<QString> m_open;            // "contact|field" of the open conflicts
    QSet<QString> m_heldContacts;    // contacts with an open conflict: written nowhere until a person answers
    Counts m_counts;
    QStringList m_failures;
    QStringList m_notes;
    QStringList m_lostContacts;
};

} // namespace tf::test
