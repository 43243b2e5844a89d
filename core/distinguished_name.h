// Distinguished names (RFC 4514) as rosterd compares them: directory sources, group rules
// and the LDAP connector all need the same notion of "the same DN", so it lives in core.
#pragma once

#include <string>
#include <string_view>

namespace rosterd {

// The form two DNs are compared in: ASCII lower case, no spaces around unescaped ',' '='
// and '+' nor at either end; escaped characters ("\,", "\ ", "\2C") kept as written.
std::string normalise_dn(std::string_view dn);
// The same into `out` (cleared first): for look-ups of many DNs without an allocation each.
void normalise_dn(std::string_view dn, std::string& out);

}  // namespace rosterd
