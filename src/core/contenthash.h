#pragma once

#include "core/contact.h"

namespace tf {

// SHA-256 (hex) of a contact's normalized content fields. Two layers holding the same contact after their own
// normalisations hash the same, which is what echo suppression compares (DESIGN.md "Echo suppression").
class ContentHash
{
public:
    static QString of(const Contact &contact);
};

} // namespace tf
