#pragma once

#include <QByteArray>

namespace tf::emu {

// FARM_FINGERPRINT: FarmHash's Fingerprint64 (farmhashna::Hash64, github.com/google/farmhash, MIT), which is what
// BigQuery documents for the function, returned as the signed INT64 BigQuery shows.
class FarmFingerprint
{
public:
    static qint64 of(const QByteArray &bytes);
};

} // namespace tf::emu
