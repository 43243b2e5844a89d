// Command-line arguments: positionals and --options, checked against what a command
// declares so a typo is an error with a suggestion, never silently ignored.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace rosterd::cli {

struct OptionSpec {
  std::set<std::string, std::less<>> with_value;  // --name VALUE or --name=VALUE
  std::set<std::string, std::less<>> flags;       // --name
};

class Args {
 public:
  // Parses `tokens` (without the program name). Options may appear anywhere.
  static Result<Args> parse(const std::vector<std::string>& tokens, const OptionSpec& spec);

  const std::vector<std::string>& positionals() const { return positionals_; }
  std::optional<std::string> value(std::string_view name) const;
  bool flag(std::string_view name) const { return flags_.count(name) > 0; }
  bool has(std::string_view name) const { return values_.count(name) > 0 || flag(name); }

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string, std::less<>> values_;
  std::set<std::string, std::less<>> flags_;
};

// The closest known name within two edits, for "did you mean".
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& known);

}  // namespace rosterd::cli
