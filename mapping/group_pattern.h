// A `group:` condition's pattern, ready to compare with groups: the pattern lower-cased
// for display names and in normalised DN form (RFC 4514) for DNs, with '*' and '?' as
// wildcards when the condition says it is a glob.
#pragma once

#include <string>
#include <string_view>

#include "core/distinguished_name.h"

namespace rosterd {

// '*' matches any run of characters (also none), '?' exactly one (UTF-8 aware); other
// characters match themselves. Both arguments are compared as given.
bool glob_match(std::string_view pattern, std::string_view text);

class GroupPattern {
 public:
  GroupPattern(std::string_view pattern, bool glob);

  // `name_lower` is a display name in ASCII lower case, `dn_normalised` a normalise_dn()
  // result (empty for groups without a DN).
  bool matches(std::string_view name_lower, std::string_view dn_normalised) const;

  // True if every group this (literal) pattern matches is also matched by `this`.
  bool covers(const GroupPattern& other) const;

  const std::string& written() const { return written_; }
  bool glob() const { return glob_; }
  bool operator==(const GroupPattern& other) const {
    return glob_ == other.glob_ && lower_ == other.lower_ && dn_ == other.dn_;
  }

 private:
  std::string written_;
  std::string lower_;  // compared with display names
  std::string dn_;     // compared with normalised DNs
  bool glob_ = false;
};

}  // namespace rosterd
