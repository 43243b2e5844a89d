// The `attributes` and `excludedAttributes` query parameters (RFC 7644 sections 3.4.2.5
// and 3.9): which attributes a response carries.
//
// Names are comma-separated, matched case-insensitively, optionally URN-qualified
// ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
// "urn:ietf:params:scim:schemas:core:2.0:User:userName"), may name a sub-attribute
// ("name.givenName", "emails.value") or a whole extension by its URN. Unknown names are
// ignored, as major identity providers expect. `id` and `schemas` are always returned;
// with `attributes`, only the named attributes (and those) are; everything else, meta
// included, is "returned by default" and so only dropped by `excludedAttributes`.
// When both are given, `attributes` selects first and `excludedAttributes` then removes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.h"
#include "store/identity_store.h"

namespace rosterd::scim {

struct Projection {
  // Canonical names from core/resource_schema.h ("userName", "name.givenName",
  // "urn:...:enterprise:2.0:User:manager") or an extension URN alone.
  std::vector<std::string> attributes;
  std::vector<std::string> excluded;
};

// ErrorCode::InvalidValue only for absurd input (a parameter over 8 KiB).
Result<Projection> parse_projection(ResourceType type, std::string_view attributes,
                                    std::string_view excluded_attributes);

// Whether the response would carry this top-level attribute or extension URN
// ("members", "groups", kRosterdUserUrn): lets the caller skip loading what is not shown.
bool includes(const Projection& projection, std::string_view canonical_top_level);

// Applies the projection to a whole resource as rendered (canonical names).
void project(boost::json::object& resource, ResourceType type, const Projection& projection);

}  // namespace rosterd::scim
