// Whether a directory says a person may work: the pure decisions behind DirectoryUser::active.
// Active Directory: userAccountControl bit 0x2 (ACCOUNTDISABLE) and accountExpires
// (account_expires.h). OpenLDAP has no standard flag, so a configured StatusRule decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/ldap/directory_settings.h"
#include "core/error.h"

namespace rosterd::ldap {

constexpr long long kAccountDisable = 0x2;

// True when the ACCOUNTDISABLE bit is set; an error for text that is not a decimal
// 32-bit value (AD writes it signed or unsigned depending on the tool).
Result<bool> uac_disabled(std::string_view user_account_control);

// `locked_values`: the values of rule.locked_attribute; `attribute_values`: those of
// rule.attribute (both empty when the entry lacks them or the rule does not name them).
bool disabled_by_rule(const StatusRule& rule, const std::vector<std::string>& locked_values,
                      const std::vector<std::string>& attribute_values);

}  // namespace rosterd::ldap
