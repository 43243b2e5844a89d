#include "store/random_id.h"

#include <array>
#include <cstdio>
#include <memory>
#include <random>

#include "store/store_options.h"

namespace rosterd {

std::function<std::string()> make_random_id_generator() {
  std::random_device device;
  std::array<std::uint32_t, 8> seed{};
  for (auto& s : seed) s = device();
  std::seed_seq seq(seed.begin(), seed.end());
  auto engine = std::make_shared<std::mt19937_64>(seq);
  return [engine] {
    const std::uint64_t hi = ((*engine)() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    const std::uint64_t lo = ((*engine)() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32),
                  unsigned((hi >> 16) & 0xffff), unsigned(hi & 0xffff), unsigned(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xffffffffffffULL));
    return std::string(buf);
  };
}

Timestamp system_now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace rosterd
