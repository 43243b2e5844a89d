#include "connectors/ldap/unique_member.h"

namespace rosterd::ldap {

std::string_view unique_member_dn(std::string_view value) {
  if (value.size() < 4 || !value.ends_with("'B")) return value;
  const std::size_t quote = value.rfind('\'', value.size() - 3);
  if (quote == std::string_view::npos || quote == 0 || value[quote - 1] != '#') return value;
  for (std::size_t i = quote + 1; i < value.size() - 2; ++i)
    if (value[i] != '0' && value[i] != '1') return value;
  return value.substr(0, quote - 1);
}

}  // namespace rosterd::ldap
