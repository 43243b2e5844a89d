#include "mapping/group_pattern.h"

#include "core/email.h"

namespace rosterd {
namespace {

// The length of the UTF-8 sequence that starts with `lead` (1 for stray bytes).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matching with one backtrack point: linear in practice, no recursion.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == '?') {
      ++p;
      t += utf8_length(static_cast<unsigned char>(text[t]));
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      resume += utf8_length(static_cast<unsigned char>(text[resume]));
      t = resume;
    } else {
      return false;
    }
  }
  if (t > text.size()) return false;  // '?' ran past a truncated sequence
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

GroupPattern::GroupPattern(std::string_view pattern, bool glob)
    : written_(pattern), lower_(ascii_lower(pattern)), dn_(normalise_dn(pattern)), glob_(glob) {}

bool GroupPattern::matches(std::string_view name_lower, std::string_view dn_normalised) const {
  if (glob_)
    return glob_match(lower_, name_lower) ||
           (!dn_normalised.empty() && glob_match(dn_, dn_normalised));
  return lower_ == name_lower || (!dn_normalised.empty() && dn_ == dn_normalised);
}

bool GroupPattern::covers(const GroupPattern& other) const {
  if (*this == other) return true;
  if (!glob_ || other.glob_) return false;
  // A group `other` matches has its name equal to other.lower_ or its DN equal to
  // other.dn_; this glob must match both forms to be sure to match that group too.
  return glob_match(lower_, other.lower_) && glob_match(dn_, other.dn_);
}

}  // namespace rosterd
