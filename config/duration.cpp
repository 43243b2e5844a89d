#include "config/duration.h"

#include <charconv>
#include <cstdint>
#include <limits>

namespace rosterd {
namespace {

std::optional<std::int64_t> unit_seconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  // Ten years, far beyond any sensible interval, keeps the sum far from overflow.
  constexpr std::int64_t kMaxSeconds = 10LL * 366 * 86400;
  std::int64_t total = 0;
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  if (p == end) return std::nullopt;
  while (p != end) {
    std::int64_t number = 0;
    const auto [after, ec] = std::from_chars(p, end, number);
    if (ec != std::errc() || after == p || after == end || *p == '-') return std::nullopt;
    const auto unit = unit_seconds(*after);
    if (!unit || number > kMaxSeconds / *unit) return std::nullopt;
    total += number * *unit;
    if (total > kMaxSeconds) return std::nullopt;
    p = after + 1;
  }
  if (total == 0) return std::nullopt;
  return std::chrono::seconds(total);
}

}  // namespace rosterd
