// ASCII case-insensitive comparison: attribute descriptions and the keyword-like values
// the connector compares (nsAccountLock: TRUE) ignore case in ASCII only.
#pragma once

#include <string_view>

namespace rosterd::ldap {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace rosterd::ldap
