// Durations as the configuration writes them: one or more <whole number><unit> with unit
// s, m, h or d, e.g. "30s", "5m", "6h", "1d", "1h30m". Zero is refused: every duration in the
// configuration is an interval or a timeout, and neither may be zero.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace rosterd {

std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace rosterd
