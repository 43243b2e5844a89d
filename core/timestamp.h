// Time as rosterd stores and prints it: UTC, millisecond precision, ISO 8601 with a
// trailing 'Z' ("2026-11-23T19:06:00.123Z"). The text form sorts like the time itself,
// which the store relies on for range queries.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

std::string format_timestamp(Timestamp t);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)". Returns nullopt otherwise.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// "YYYY-MM-DD" only.
std::optional<std::chrono::sys_days> parse_date(std::string_view text);
std::string format_date(std::chrono::sys_days day);

}  // namespace rosterd
