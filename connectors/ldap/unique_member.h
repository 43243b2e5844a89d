// uniqueMember values (RFC 4517 "Name and Optional UID") may carry a bit string after the
// DN, "uid=a,ou=people,dc=x#'0101'B", which is not part of the member's DN.
#pragma once

#include <string_view>

namespace rosterd::ldap {

// The DN part: the value without a trailing "#'<0s and 1s>'B", unchanged otherwise (a '#'
// inside an RDN value, "cn=a#b", is part of the DN).
std::string_view unique_member_dn(std::string_view value);

}  // namespace rosterd::ldap
