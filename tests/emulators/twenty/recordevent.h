#pragma once

#include <QJsonObject>
#include <QStringList>

namespace tf::emu {

// A database event a write produced (§7.2): `<object>.<action>` with the record after (or, for destroyed, before).
struct RecordEvent {
    QString objectSingular;
    QString action; // created updated deleted destroyed restored upserted
    QJsonObject record;
    QStringList updatedFields; // updated only
};

// Who writes and when: one CURRENT_TIMESTAMP per request (§9 #19), the API key's name for createdBy/updatedBy.
struct RequestContext {
    QString now;
    QString actorName;
};

} // namespace tf::emu
