// Values placed inside an LDAP search filter are escaped (RFC 4515 section 3), so a user
// name such as "a*)(uid=*" is looked up as itself and cannot widen or rewrite a filter.
#pragma once

#include <string>
#include <string_view>

namespace rosterd::ldap {

// '*' '(' ')' '\' and NUL become \2a \28 \29 \5c \00, and so does every byte that is not
// part of a well-formed UTF-8 sequence (RFC 4515 allows only UTF-8 unescaped); valid
// UTF-8, including multi-byte characters, is kept as it is.
std::string escape_filter_value(std::string_view value);

}  // namespace rosterd::ldap
