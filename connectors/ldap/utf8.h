// Directory values in messages. (Their UTF-8 checks are core/utf8.h: LDAP strings are
// UTF-8 by definition (RFC 4517), yet servers store what clients wrote, and a value that
// is not UTF-8 must not travel on into identities, JSON and SCIM.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace rosterd::ldap {

using rosterd::is_valid_utf8;  // core/utf8.h, for the readers of this library
using rosterd::utf8_sequence_length;

// A directory value as it may appear in a message: quoted when it is short valid UTF-8,
// otherwise only described, so a message stays readable text whatever the server holds.
std::string quoted_value(std::string_view value);

}  // namespace rosterd::ldap
