#pragma once

#include "core/contact.h"

namespace tf {

// Deterministic, varied synthetic contacts for the demo, the benchmarks and the tests: every field filled in
// some contacts and NULL in others, unicode names, emoji, nested JSON, several emails and phones.
class ContactGenerator
{
public:
    explicit ContactGenerator(quint32 seed);

    Contact next();
    QList<Contact> take(int count);

private:
    quint32 m_seed;
    int m_serial = 0;
};

} // namespace tf
