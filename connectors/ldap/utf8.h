// UTF-8 as RFC 3629 defines it, for the values read from a directory: LDAP strings are
// UTF-8 by definition (RFC 4517), yet servers store what clients wrote, and a value that
// is not UTF-8 must not travel on into identities, JSON and SCIM.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rosterd::ldap {

// The length of the well-formed sequence at the start of `text` (1-4), or 0 when it is
// not one: a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate (U+D800-DFFF) or a code point above U+10FFFF. 0 for empty text too.
std::size_t utf8_sequence_length(std::string_view text);

bool is_valid_utf8(std::string_view text);

// A directory value as it may appear in a message: quoted when it is short valid UTF-8,
// otherwise only described, so a message stays readable text whatever the server holds.
std::string quoted_value(std::string_view value);

}  // namespace rosterd::ldap
