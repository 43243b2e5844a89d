// Internal to config/: the shapes of names and secrets the configuration accepts.
#pragma once

#include <string_view>

namespace rosterd::config_detail {

// Space and source ids: [a-z0-9][a-z0-9_-]* (they appear in URLs, metrics and file names).
bool is_identifier(std::string_view text);
inline constexpr std::string_view kIdentifierRule =
    "must start with a lower-case letter or a digit and contain only a-z, 0-9, '_' and '-'";

// Attribute names in rules and 'correlate': letters, digits, '.', ':', '-' and '_', so that
// LDAP names and OIDs and URN-qualified SCIM names
// (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department) all fit.
bool is_attribute_name(std::string_view text);
inline constexpr std::string_view kAttributeNameRule =
    "may contain only letters, digits, '.', ':', '-' and '_'";

// A SCIM bearer token is stored as its digest: "sha256:" and 64 lower-case hex digits.
bool is_token_hash(std::string_view text);

}  // namespace rosterd::config_detail
