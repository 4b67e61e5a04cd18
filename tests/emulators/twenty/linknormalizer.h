#pragma once

#include <QString>

namespace tf::emu {

// What Twenty does to a link URL on write (twenty-shared lowercaseUrlOriginAndRemoveTrailingSlash, §4.3):
// an http(s) URL's scheme and host are lowercased and one trailing "/" goes ("https://Test.com/" → "https://test.com");
// anything else is kept as sent.
class LinkNormalizer
{
public:
    static QString normalize(const QString &url);
};

} // namespace tf::emu
