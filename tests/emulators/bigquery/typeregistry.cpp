#include "bigquery/typeregistry.h"

#include <QHash>
#include <QList>

namespace tf::emu {

namespace {

struct Registry {
    QList<SqlType> types;
    QHash<QString, int> ids; // by the type's full name, member names included
};

Registry &registry()
{
    static Registry instance;
    return instance;
}

} // namespace

int TypeRegistry::idOf(const SqlType &type)
{
    Registry &r = registry();
    const QString key = type.name();
    const auto found = r.ids.constFind(key);
    if (found != r.ids.constEnd())
        return *found;
    r.types.append(type);
    const int id = int(r.types.size()) - 1;
    r.ids.insert(key, id);
    return id;
}

SqlType TypeRegistry::type(int id)
{
    return registry().types.value(id);
}

} // namespace tf::emu
