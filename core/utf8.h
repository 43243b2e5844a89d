// Well-formed UTF-8 as RFC 3629 defines it. Text arrives as raw bytes from SCIM requests
// (URLs, JSON) and from directories (LDAP strings are UTF-8 by definition, yet servers
// store what clients wrote); it must be well-formed before it reaches a store (PostgreSQL
// refuses malformed text), JSON or an error message.
#pragma once

#include <cstddef>
#include <string_view>

namespace rosterd {

// The length of the well-formed sequence at the start of `text` (1-4), or 0 when it is
// not one: a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate (U+D800-DFFF) or a code point above U+10FFFF. 0 for empty text too.
std::size_t utf8_sequence_length(std::string_view text);

bool is_valid_utf8(std::string_view text);

}  // namespace rosterd
