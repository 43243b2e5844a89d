// Reading rosterd.yaml (DESIGN.md section 6) into a typed, validated Config.
//
// A file is either accepted whole or refused whole. When refused, the Error (code
// ErrorCode::Config) lists every problem found, one per line, in file order:
//   rosterd.yaml:12:5: spaces.acme.licences.recruiter: expected a whole number >= 0, got 'lots'
// Unknown keys are refused at every level, with a suggestion for a likely typo. Lines and
// columns are 1-based.
//
// A relative "sqlite:<path>" store is taken relative to the directory of the configuration
// file (not the working directory), and Config::store holds the resolved path.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/error.h"

namespace rosterd {

// Reads and parses the file at `path`. An unreadable file gives an error naming the path and
// the reason (strerror). Messages name the file as `path` is written.
Result<Config> load_config(const std::string& path);

// Parses text already read. `file_name_for_messages` names the file in messages, and its
// directory (as written, possibly relative) is the base for a relative sqlite path.
Result<Config> parse_config(std::string_view yaml_text, const std::string& file_name_for_messages);

}  // namespace rosterd
