// rosterd's log: one JSON object per line on stderr (journald keeps them; DESIGN.md
// section 5). Each line is written with one write(2), so lines from several threads
// never interleave. Never pass a secret as a field.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace rosterd {

using LogField = std::pair<std::string_view, std::string>;

// {"ts":"2026-11-23T10:00:00.000Z","level":"info","event":"listening",...fields}
void log_event(std::string_view level, std::string_view event, std::initializer_list<LogField> fields = {});

}  // namespace rosterd
