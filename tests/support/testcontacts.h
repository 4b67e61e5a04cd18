#pragma once

#include "core/contact.h"

namespace tf::test {

// A contact whose every text field holds something that breaks naive code: quotes, backslashes, SQL and
// JSON metacharacters, 4-byte UTF-8, control characters (never NUL), and a 1 MB note.
Contact hostileContact(const QString &contactId);
// Compares two contacts field by field after normalisation; returns the differing field names.
QStringList differingFields(const Contact &a, const Contact &b, bool contentOnly = true);

} // namespace tf::test
