#include "twenty/nullequivalence.h"

namespace tf::emu {

NullEquivalence::NullEquivalence(EmptyText mode)
    : m_mode(mode)
{
}

QJsonValue NullEquivalence::text(const QJsonValue &value, bool standardColumn) const
{
    if (!isNullEquivalentText(value) || (m_mode == EmptyText::Empty && !standardColumn))
        return value; // an older build stores what a nullable custom column is sent
    return emptyText(standardColumn);
}

QJsonValue NullEquivalence::emptyText(bool standardColumn) const
{
    if (m_mode == EmptyText::Null || !standardColumn)
        return QJsonValue::Null;
    return QStringLiteral("");
}

} // namespace tf::emu
