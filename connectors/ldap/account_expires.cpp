#include "connectors/ldap/account_expires.h"

#include <charconv>
#include <cstdint>
#include <limits>

#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();  // 0x7FFFFFFFFFFFFFFF
constexpr std::int64_t kTicksPerMillisecond = 10'000;
// 1601-01-01 to 1970-01-01: 369 years with 89 leap days.
constexpr std::int64_t kEpochOffsetMs = 11'644'473'600'000;

}  // namespace

Result<std::optional<Timestamp>> parse_account_expires(std::string_view text) {
  std::int64_t ticks = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ticks);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || ticks < 0)
    return fail(ErrorCode::InvalidValue,
                "accountExpires is not a FILETIME (a non-negative decimal number): " +
                    quoted_value(text));
  if (ticks == 0 || ticks == kNever) return std::optional<Timestamp>{};
  const std::int64_t unix_ms = ticks / kTicksPerMillisecond - kEpochOffsetMs;
  return std::optional<Timestamp>(Timestamp(std::chrono::milliseconds(unix_ms)));
}

bool account_expired(const std::optional<Timestamp>& expires, Timestamp now) {
  return expires.has_value() && *expires <= now;
}

}  // namespace rosterd::ldap
