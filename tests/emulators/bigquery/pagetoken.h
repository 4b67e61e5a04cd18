#pragma once

#include <QString>
#include <optional>

namespace tf::emu {

// The opaque pageToken of getQueryResults and tabledata.list: the row offset where the next page starts, bound to the
// job or table it came from so that a token is not accepted elsewhere.
class PageToken
{
public:
    static QString encode(const QString &owner, qint64 offset);
    static std::optional<qint64> decode(const QString &token, const QString &owner);
};

} // namespace tf::emu
