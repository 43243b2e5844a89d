#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {
std::string quoted_value(std::string_view value) {
  constexpr std::size_t kLongest = 80;
  if (!is_valid_utf8(value)) return "(" + std::to_string(value.size()) + " bytes, not UTF-8)";
  if (value.size() > kLongest) return "(" + std::to_string(value.size()) + " bytes)";
  return "'" + std::string(value) + "'";
}

}  // namespace rosterd::ldap
