#include "connectors/ldap/account_status.h"

#include <charconv>
#include <cstdint>

#include "connectors/ldap/ascii.h"
#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {

Result<bool> uac_disabled(std::string_view user_account_control) {
  std::int64_t value = 0;
  const char* begin = user_account_control.data();
  const char* end = begin + user_account_control.size();
  const auto [stop, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || stop != end || user_account_control.empty() ||
      value < INT32_MIN || value > UINT32_MAX)
    return fail(ErrorCode::InvalidValue,
                "userAccountControl is not a 32-bit number: " + quoted_value(user_account_control));
  return (value & kAccountDisable) != 0;
}

bool disabled_by_rule(const StatusRule& rule, const std::vector<std::string>& locked_values,
                      const std::vector<std::string>& attribute_values) {
  if (!rule.locked_attribute.empty() && !locked_values.empty()) return true;
  if (rule.attribute.empty() || attribute_values.empty()) return false;
  if (rule.disabled_values.empty()) return true;  // presence alone disables
  for (const std::string& value : attribute_values)
    for (const std::string& disabled : rule.disabled_values)
      if (equal_ignoring_ascii_case(value, disabled)) return true;
  return false;
}

}  // namespace rosterd::ldap
