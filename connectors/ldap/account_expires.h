// Active Directory's accountExpires: a Windows FILETIME in decimal (100-nanosecond
// intervals since 1601-01-01 00:00 UTC), where 0 and 0x7FFFFFFFFFFFFFFF both mean "never".
// The account may be used until that instant and not from it on.
#pragma once

#include <optional>
#include <string_view>

#include "core/error.h"
#include "core/timestamp.h"

namespace rosterd::ldap {

// The expiry instant (truncated to the millisecond), nullopt for "never", or an error for
// text that is not a non-negative decimal 64-bit number.
Result<std::optional<Timestamp>> parse_account_expires(std::string_view text);

// True from the expiry instant on; never for nullopt.
bool account_expired(const std::optional<Timestamp>& expires, Timestamp now);

}  // namespace rosterd::ldap
