// The responses the transport itself writes (413, 431, 400, 500): a SCIM error body
// (RFC 7644 section 3.12) so an identity provider sees the same shape as from a handler.
#pragma once

#include <string_view>

#include "scim/http_message.h"

namespace rosterd::http {

// status 413, detail "request body larger than 1048576 bytes" ->
// {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"413","detail":"..."}
// with Content-Type application/scim+json.
scim::HttpResponse scim_error_response(int status, std::string_view detail);

}  // namespace rosterd::http
