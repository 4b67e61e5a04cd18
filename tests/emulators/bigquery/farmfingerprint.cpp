#include "bigquery/farmfingerprint.h"

#include <QtEndian>

#include <cstring>
#include <utility>

namespace tf::emu {

namespace {

using u64 = quint64;

constexpr u64 kK0 = 0xc3a5c85c97cb3127ULL;
constexpr u64 kK1 = 0xb492b66fbe98f273ULL;
constexpr u64 kK2 = 0x9ae16a3b2f90404fULL;

// FarmHash reads little-endian words; x86-64 and arm64 are little-endian, and Qt's qFromLittleEndian keeps it so.
u64 word64(const char *p)
{
    u64 value;
    std::memcpy(&value, p, sizeof value);
    return qFromLittleEndian(value);
}

u64 word32(const char *p)
{
    quint32 value;
    std::memcpy(&value, p, sizeof value);
    return qFromLittleEndian(value);
}

u64 rotate(u64 value, int shift)
{
    return shift == 0 ? value : (value >> shift) | (value << (64 - shift));
}

u64 shiftMix(u64 value)
{
    return value ^ (value >> 47);
}

u64 mix16(u64 u, u64 v, u64 mul)
{
    u64 a = (u ^ v) * mul;
    a ^= a >> 47;
    u64 b = (v ^ a) * mul;
    b ^= b >> 47;
    return b * mul;
}

u64 upTo16(const char *s, size_t len)
{
    if (len >= 8) {
        const u64 mul = kK2 + len * 2;
        const u64 a = word64(s) + kK2;
        const u64 b = word64(s + len - 8);
        return mix16(rotate(b, 37) * mul + a, (rotate(a, 25) + b) * mul, mul);
    }
    if (len >= 4)
        return mix16(len + (word32(s) << 3), word32(s + len - 4), kK2 + len * 2);
    if (len > 0) {
        const quint8 a = quint8(s[0]);
        const quint8 b = quint8(s[len >> 1]);
        const quint8 c = quint8(s[len - 1]);
        const quint32 y = quint32(a) + (quint32(b) << 8);
        const quint32 z = quint32(len) + (quint32(c) << 2);
        return shiftMix(y * kK2 ^ z * kK0) * kK2;
    }
    return kK2;
}

u64 from17To32(const char *s, size_t len)
{
    const u64 mul = kK2 + len * 2;
    const u64 a = word64(s) * kK1;
    const u64 b = word64(s + 8);
    const u64 c = word64(s + len - 8) * mul;
    const u64 d = word64(s + len - 16) * kK2;
    return mix16(rotate(a + b, 43) + rotate(c, 30) + d, a + rotate(b + kK2, 18) + c, mul);
}

u64 from33To64(const char *s, size_t len)
{
    const u64 mul = kK2 + len * 2;
    const u64 a = word64(s) * kK2;
    const u64 b = word64(s + 8);
    const u64 c = word64(s + len - 8) * mul;
    const u64 d = word64(s + len - 16) * kK2;
    const u64 y = rotate(a + b, 43) + rotate(c, 30) + d;
    const u64 z = mix16(y, a + rotate(b + kK2, 18) + c, mul);
    const u64 e = word64(s + 16) * mul;
    const u64 f = word64(s + 24);
    const u64 g = (y + word64(s + len - 32)) * mul;
    const u64 h = (z + word64(s + len - 24)) * mul;
    return mix16(rotate(e + f, 43) + rotate(g, 30) + h, e + rotate(f + a, 18) + g, mul);
}

struct Pair {
    u64 first = 0;
    u64 second = 0;
};

Pair weak32(const char *s, u64 a, u64 b)
{
    const u64 w = word64(s), x = word64(s + 8), y = word64(s + 16), z = word64(s + 24);
    a += w;
    b = rotate(b + a + z, 21);
    const u64 c = a;
    a += x;
    a += y;
    b += rotate(a, 44);
    return Pair{a + z, b + c};
}

u64 longHash(const char *s, size_t len)
{
    constexpr u64 seed = 81;
    u64 x = seed;
    u64 y = seed * kK1 + 113;
    u64 z = shiftMix(y * kK2 + 113) * kK2;
    Pair v, w;
    x = x * kK2 + word64(s);
    const char *end = s + ((len - 1) / 64) * 64;
    const char *last64 = end + ((len - 1) & 63) - 63;
    do {
        x = rotate(x + y + v.first + word64(s + 8), 37) * kK1;
        y = rotate(y + v.second + word64(s + 48), 42) * kK1;
        x ^= w.second;
        y += v.first + word64(s + 40);
        z = rotate(z + w.first, 33) * kK1;
        v = weak32(s, v.second * kK1, x + w.first);
        w = weak32(s + 32, z + w.second, y + word64(s + 16));
        std::swap(z, x);
        s += 64;
    } while (s != end);
    const u64 mul = kK1 + ((z & 0xff) << 1);
    s = last64;
    w.first += (len - 1) & 63;
    v.first += w.first;
    w.first += v.first;
    x = rotate(x + y + v.first + word64(s + 8), 37) * mul;
    y = rotate(y + v.second + word64(s + 48), 42) * mul;
    x ^= w.second * 9;
    y += v.first * 9 + word64(s + 40);
    z = rotate(z + w.first, 33) * mul;
    v = weak32(s, v.second * mul, x + w.first);
    w = weak32(s + 32, z + w.second, y + word64(s + 16));
    std::swap(z, x);
    return mix16(mix16(v.first, w.first, mul) + shiftMix(y) * kK0 + z, mix16(v.second, w.second, mul) + x, mul);
}

} // namespace

qint64 FarmFingerprint::of(const QByteArray &bytes)
{
    const char *s = bytes.constData();
    const size_t len = size_t(bytes.size());
    u64 hash;
    if (len <= 16)
        hash = upTo16(s, len);
    else if (len <= 32)
        hash = from17To32(s, len);
    else if (len <= 64)
        hash = from33To64(s, len);
    else
        hash = longHash(s, len);
    return qint64(hash);
}

} // namespace tf::emu
