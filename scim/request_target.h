// The request target of a SCIM call, decoded: the path and the query parameters.
// Percent-encoding is undone in both; in the query, '+' also means a space (the
// application/x-www-form-urlencoded habit that Okta's and Entra's HTTP clients follow:
// `filter=userName+eq+%22a%40b.c%22`).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace rosterd::scim {

struct RequestTarget {
  std::string path;  // decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;

  // The first parameter with this name (ASCII case-insensitive), or nullptr.
  const std::string* param(std::string_view name) const;
};

// ErrorCode::InvalidSyntax for a broken %-escape or decoded bytes that are not UTF-8.
Result<RequestTarget> parse_request_target(std::string_view target);

// The path split at '/', empty segments dropped: "/scim/v2/Users/42" -> scim, v2, Users, 42.
std::vector<std::string_view> path_segments(std::string_view path);

}  // namespace rosterd::scim
