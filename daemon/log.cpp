#include "daemon/log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <optional>

#include "scim/scim_response.h"
#include "store/store_options.h"

namespace rosterd {
namespace {

constexpr std::array<std::string_view, 4> kNames{"debug", "info", "warning", "error"};

std::atomic<LogLevel>& threshold() {
  static std::atomic<LogLevel> level{LogLevel::Info};
  return level;
}

std::optional<LogLevel> level_named(std::string_view text) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == text) return static_cast<LogLevel>(i);
  return std::nullopt;
}

}  // namespace

Result<LogLevel> parse_log_level(std::string_view text) {
  if (auto level = level_named(text)) return *level;
  return fail(ErrorCode::Usage,
              "--log-level: expected debug, info, warning or error, not '" + std::string(text) + "'");
}

void set_log_level(LogLevel level) { threshold().store(level, std::memory_order_relaxed); }

LogLevel log_level() { return threshold().load(std::memory_order_relaxed); }

void log_event(std::string_view level, std::string_view event, std::initializer_list<LogField> fields) {
  if (const auto known = level_named(level); known && *known < log_level()) return;
  std::string line = R"({"ts":)" + scim::json_string(format_timestamp(system_now())) +
                     R"(,"level":)" + scim::json_string(level) + R"(,"event":)" + scim::json_string(event);
  for (const auto& [key, value] : fields) line += "," + scim::json_string(key) + ":" + scim::json_string(value);
  line += "}\n";
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace rosterd
