// The admin token that protects /status: read from `admin_token_file` (the first line,
// surrounding whitespace trimmed), presented as "Authorization: Bearer TOKEN" or with HTTP
// Basic (any user name, the token as password: what a browser asks for), compared in
// constant time.
#pragma once

#include <string>

#include "core/error.h"
#include "scim/http_message.h"

namespace rosterd::admin {

// ErrorCode::Config naming the file when it cannot be read or holds no token.
Result<std::string> read_admin_token(const std::string& file);

// Whether the request carries `token`. An empty `token` (none configured) admits no one.
bool has_admin_token(const scim::HttpRequest& request, const std::string& token);

}  // namespace rosterd::admin
