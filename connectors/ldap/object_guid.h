// Active Directory's objectGUID is 16 bytes in Microsoft's mixed-endian GUID layout: the
// first three fields little-endian, the last two as they stand. rosterd keeps it as the
// canonical text AD tools show, so an anchor reads the same in rosterd and in
// "Get-ADUser" output.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rosterd::ldap {

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in lower case, or nullopt unless `bytes` is
// exactly 16 bytes long.
std::optional<std::string> guid_to_string(std::string_view bytes);

}  // namespace rosterd::ldap
