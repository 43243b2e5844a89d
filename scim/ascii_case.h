// ASCII case-insensitive comparison of SCIM keywords, operators, attribute names and,
// without caseExact, values. Only ASCII folds: that is what SQLite's lower() and LIKE do,
// and the stores must answer a filter exactly as the in-memory evaluator does.
#pragma once

#include <cstddef>
#include <string_view>

namespace rosterd::scim {

inline char ascii_fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_fold(a[i]) != ascii_fold(b[i])) return false;
  return true;
}

}  // namespace rosterd::scim
