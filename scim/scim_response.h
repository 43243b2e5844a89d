// The shapes of SCIM responses (RFC 7644 section 3.12): a JSON body with
// Content-Type application/scim+json, and the Error message with `status` as a string,
// a `detail` and, where it applies, the `scimType` of the error table (core/error.h).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "scim/http_message.h"

namespace rosterd::scim {

inline constexpr std::string_view kScimContentType = "application/scim+json";
// Retry-After of a 503 (the store is unavailable, or the daemon is too busy): long enough
// for a PostgreSQL restart or a failover to finish, short enough that an identity
// provider retrying does not fall far behind.
inline constexpr std::string_view kRetryAfterSeconds = "5";

HttpResponse json_response(int status, std::string body);
HttpResponse empty_response(int status);  // 204, 304: no body
// A 503 (ErrorCode::Unavailable: the database went away, nothing was written) carries
// Retry-After, so that the identity provider tries again instead of giving up.
HttpResponse error_response(const Error& error);
HttpResponse error_response(int status, std::string_view detail, std::string_view scim_type = {});

// The Error message body alone (Bulk nests it in each failed operation's `response`).
std::string error_body(int status, std::string_view detail, std::string_view scim_type);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

}  // namespace rosterd::scim
