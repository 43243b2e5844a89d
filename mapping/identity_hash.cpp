#include "mapping/identity_hash.h"

#include <cstring>

namespace rosterd {
namespace {

__extension__ using Wide = unsigned __int128;

constexpr std::uint64_t kSecret[4] = {0x2d358dccaa6c78a5ULL, 0x8bb84b93962eacc9ULL, 0x4b33a62ed433d4a3ULL,
                                      0x4d5a2da51de1aa47ULL};

// The 128-bit product of a and b, folded to 64 bits.
std::uint64_t mum(std::uint64_t a, std::uint64_t b) {
  const Wide r = static_cast<Wide>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

std::uint64_t read8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

std::uint64_t read4(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::uint64_t read_short(const char* p, std::size_t n) {  // 1 <= n <= 3
  return (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
         static_cast<unsigned char>(p[n - 1]);
}

std::uint64_t hash_number(std::uint64_t value, std::uint64_t seed) {
  return mum(value ^ kSecret[1], seed ^ kSecret[2]);
}

}  // namespace

std::uint64_t hash_bytes(std::string_view text, std::uint64_t seed) {
  const char* p = text.data();
  const std::size_t n = text.size();
  seed ^= mum(seed ^ kSecret[0], kSecret[1]);
  std::uint64_t a = 0, b = 0;
  if (n <= 16) {
    if (n >= 4) {
      const std::size_t half = (n >> 3) << 2;
      a = (read4(p) << 32) | read4(p + half);
      b = (read4(p + n - 4) << 32) | read4(p + n - 4 - half);
    } else if (n > 0) {
      a = read_short(p, n);
    }
  } else {
    std::size_t i = n;
    if (i > 48) {
      std::uint64_t see1 = seed, see2 = seed;
      do {
        seed = mum(read8(p) ^ kSecret[1], read8(p + 8) ^ seed);
        see1 = mum(read8(p + 16) ^ kSecret[2], read8(p + 24) ^ see1);
        see2 = mum(read8(p + 32) ^ kSecret[3], read8(p + 40) ^ see2);
        p += 48;
        i -= 48;
      } while (i > 48);
      seed ^= see1 ^ see2;
    }
    while (i > 16) {
      seed = mum(read8(p) ^ kSecret[1], read8(p + 8) ^ seed);
      p += 16;
      i -= 16;
    }
    a = read8(p + i - 16);
    b = read8(p + i - 8);
  }
  a ^= kSecret[1];
  b ^= seed;
  const Wide r = static_cast<Wide>(a) * b;
  a = static_cast<std::uint64_t>(r);
  b = static_cast<std::uint64_t>(r >> 64);
  return mum(a ^ kSecret[0] ^ n, b ^ kSecret[1]);
}

std::uint64_t hash_identity(const DirectoryPerson& p) {
  std::uint64_t h = hash_bytes(p.source, 0x5eed1d);
  h = hash_bytes(p.id, h);
  h = hash_bytes(p.user_name, h);
  h = hash_bytes(p.display_name, h);
  h = hash_number(p.emails.size(), h);
  for (const auto& e : p.emails) h = hash_bytes(e, h);
  h = hash_number(p.active ? 1 : 0, h);
  h = hash_bytes(p.attributes_json, h);
  h = hash_number(p.groups.size(), h);
  for (const auto& g : p.groups) h = hash_bytes(g, h);
  return hash_number(static_cast<std::uint64_t>(p.created.time_since_epoch().count()), h);
}

std::uint64_t hash_primary_email(const DirectoryPerson& p) {
  return p.emails.empty() ? 0 : hash_bytes(p.emails.front(), 0xe3a11);
}

std::uint64_t hash_group(const DirectoryGroup& g) {
  std::uint64_t h = hash_bytes(g.source, 0x960c);
  h = hash_bytes(g.id, h);
  h = hash_bytes(g.display_name, h);
  h = hash_bytes(g.dn, h);
  h = hash_number(g.groups.size(), h);
  for (const auto& parent : g.groups) h = hash_bytes(parent, h);
  return h;
}

}  // namespace rosterd
