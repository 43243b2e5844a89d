// GET of one User or Group, and lists and searches (RFC 7644 sections 3.4.1-3.4.3).
// Each runs in one read transaction of the identity store, in the calling thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scim/http_message.h"
#include "scim/list_request.h"
#include "scim/scim_env.h"

namespace rosterd::scim {

// `if_none_match`: the If-None-Match header; a match answers 304.
HttpResponse get_resource(const ScimEnv& env, const Caller& caller, ResourceType type,
                          std::string_view id, std::string_view attributes,
                          std::string_view excluded_attributes, std::string_view if_none_match);

// `type` empty: a search at the root, over Users then Groups.
HttpResponse list_resources(const ScimEnv& env, const Caller& caller,
                            std::optional<ResourceType> type, const ListRequest& request);

// Does an If-Match / If-None-Match header value name this version? ("*", or a list of
// entity tags, weak or strong: W/"3" and "3" both name version 3.)
bool etag_matches(std::string_view header, std::int64_t version);

std::string_view endpoint_name(ResourceType type);  // "Users", "Groups"

}  // namespace rosterd::scim
