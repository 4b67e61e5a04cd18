#pragma once

#include "twenty/emulatorsettings.h"

#include <QJsonValue>

namespace tf::emu {

// "" and null are the same value for text in Twenty (§4.3, is-null-equivalent-text-field-value); which one is
// stored depends on the build. Newer builds store NULL; older ones kept "" and had standard text columns (and every
// text sub-field of a composite) NOT NULL DEFAULT '', while a nullable custom text field kept what it was sent
// and stayed null until written.
class NullEquivalence
{
public:
    explicit NullEquivalence(EmptyText mode);

    // `standardColumn`: a standard TEXT field or a composite's text sub-field (not a custom scalar field).
    QJsonValue text(const QJsonValue &value, bool standardColumn) const;
    QJsonValue emptyText(bool standardColumn) const;
    static bool isNullEquivalentText(const QJsonValue &value) { return value.isNull() || value == QLatin1String(""); }

private:
    EmptyText m_mode;
};

} // namespace tf::emu
