#pragma once

#include <QString>
#include <QVariantList>

namespace tf::emu {

// The values a translated statement binds, each as its own numbered placeholder ?1, ?2, ... (so no text from a query
// ever becomes SQLite SQL, and a fragment can be used twice without order bookkeeping).
class SqlBindings
{
public:
    QString add(const QVariant &value)
    {
        m_values.append(value);
        return QStringLiteral("?%1").arg(m_values.size());
    }
    const QVariantList &values() const { return m_values; }

private:
    QVariantList m_values;
};

} // namespace tf::emu
