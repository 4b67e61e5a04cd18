#pragma once

#include <QString>
#include <QVariantList>

namespace tf::emu {

// The values a translated statement binds, each as its own named placeholder :v0, :v1, ... (so no text from a
// query ever becomes SQLite SQL, and a value can be used twice without order bookkeeping).
class SqlBindings
{
public:
    QString add(const QVariant &value)
    {
        m_values.append(value);
        return QStringLiteral(":v%1").arg(m_values.size() - 1);
    }
    const QVariantList &values() const { return m_values; }

private:
    QVariantList m_values;
};

} // namespace tf::emu
