#pragma once

#include "twenty/objectschema.h"

namespace tf::emu {

// The standard objects of a fresh workspace with the fields the sync meets (§4.1): person and company, tied by
// person.company (join column companyId) and company.people.
class StandardObjects
{
public:
    static ObjectSchema person(const QString &createdAt);
    static ObjectSchema company(const QString &createdAt);

    static const QString &workspaceId();
};

} // namespace tf::emu
