// Email addresses as accounts use them: validated with the rules an admin panel applies
// (one '@', a dotted domain, no spaces or control characters, RFC 5321 lengths), and
// compared case-insensitively through their key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rosterd {

// Returns an explanation of what is wrong, or nullopt if the address is acceptable.
std::optional<std::string> email_problem(std::string_view email);

// The form used for uniqueness and look-ups: ASCII lower case.
std::string email_key(std::string_view email);

std::string ascii_lower(std::string_view text);

}  // namespace rosterd
