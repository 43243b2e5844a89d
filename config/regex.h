// A compiled regular expression (PCRE2, UTF-8, JIT-compiled where the CPU allows), for
// the `matches` test of rules. The config reader compiles each pattern once to report a
// bad one with its location; mapping/ compiles it again to match (a Regex is not copied
// around with the Config, which stays a plain value).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace rosterd {

class Regex {
 public:
  // ErrorCode::InvalidValue with PCRE2's message and the offset in the pattern.
  static Result<Regex> compile(std::string_view pattern);

  // True if the pattern matches somewhere in `text` (use ^ and $ to anchor). Safe to call
  // from several threads at once. A match that exceeds PCRE2's limits counts as no match;
  // bytes of `text` that are not valid UTF-8 never match, the valid parts around them can.
  bool search(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Code;
  Regex(std::string pattern, std::shared_ptr<const Code> code)
      : pattern_(std::move(pattern)), code_(std::move(code)) {}

  std::string pattern_;
  std::shared_ptr<const Code> code_;  // immutable once compiled: shared by copies
};

}  // namespace rosterd
