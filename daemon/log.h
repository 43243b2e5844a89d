// rosterd's log: one JSON object per line on stderr (journald keeps them; DESIGN.md
// section 5). Each line is written with one write(2), so lines from several threads
// never interleave. Never pass a secret as a field.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace rosterd {

using LogField = std::pair<std::string_view, std::string>;

enum class LogLevel { Debug, Info, Warning, Error };

// "debug", "info", "warning" or "error" (what --log-level takes); a Usage error naming
// the accepted values otherwise.
Result<LogLevel> parse_log_level(std::string_view text);

// Lines below `level` are not written (default: Info). Set once by the CLI before any
// thread starts. The one piece of process-wide state in the log: a threshold that every
// caller would otherwise have to carry.
void set_log_level(LogLevel level);
LogLevel log_level();

// {"ts":"2026-11-23T10:00:00.000Z","level":"info","event":"listening",...fields}
// `level` is one of the names parse_log_level() accepts; an unknown one is written as
// given, whatever the threshold.
void log_event(std::string_view level, std::string_view event, std::initializer_list<LogField> fields = {});

}  // namespace rosterd
