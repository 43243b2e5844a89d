#include "store/random_id.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "store/store_options.h"

namespace rosterd {

std::string uuid_v7(std::uint64_t unix_ms, std::uint64_t random_a, std::uint64_t random_b) {
  // 48 bits of milliseconds, the version (7), 12 random bits; the variant (0b10), 62 random bits.
  const std::uint64_t hi = ((unix_ms & 0xffffffffffffULL) << 16) | 0x7000ULL | (random_a & 0x0fffULL);
  const std::uint64_t lo = (random_b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32),
                unsigned((hi >> 16) & 0xffff), unsigned(hi & 0xffff), unsigned(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return std::string(buf);
}

std::function<std::string()> make_random_id_generator() {
  std::random_device device;
  std::array<std::uint32_t, 8> seed{};
  for (auto& s : seed) s = device();
  std::seed_seq seq(seed.begin(), seed.end());
  auto engine = std::make_shared<std::mt19937_64>(seq);
  return [engine] {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
    return uuid_v7(static_cast<std::uint64_t>(ms), (*engine)(), (*engine)());
  };
}

Timestamp system_now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace rosterd
