// SCIM Users and Groups in and out of rosterd's stored form (store/identity_store.h),
// without any transport: decode a POST/PUT body (or a resource after PATCH) into a
// ResourceRecord with canonical attribute JSON, and render a record as a response body.
//
// The stored `attributes` text is canonical JSON written by decode_resource():
// `{"schemas":[core, extensions present...], then the attributes in schema-table order}`,
// names in their canonical case, extension attributes in an object under their URN.
// Rendering without a projection splices that text (never parses it), which is what
// keeps a page of 100 users cheap; a record whose text does not have that shape is
// rendered through the JSON tree instead, with the same result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.h"
#include "store/identity_store.h"

namespace rosterd::scim {

struct Projection;  // scim/projection.h

struct DecodedResource {
  // type, external_id, user_name, display_name, emails (primary first), active and
  // attributes; source, id, version and timestamps are left to the caller.
  ResourceRecord record;
  // Groups: "members" as given (deduplicated by value, type "User" unless "Group");
  // an empty vector for `"members": []`; nullopt when absent or null.
  std::optional<std::vector<MemberRef>> members;
};

// Decodes a request body (RFC 7644 sections 3.3, 3.5.1).
// Accepted leniently, because identity providers send them:
// - attribute names and schema URNs in any case; `"True"`/`"false"` strings for booleans;
// - dotted keys ("name.givenName": "x") and URN-qualified keys
//   ("urn:...:enterprise:2.0:User:employeeNumber": "42") merged into their place;
// - enterprise `manager` as a bare id string (→ {"value": id});
// - Entra's marker schema http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group
//   in a Group's `schemas` (ignored);
// - null, "", [] and {} as "absent"; a single object for a multi-valued attribute;
// - read-only and write-only attributes (id, meta, groups, password, members.display,
//   manager.displayName, the rosterd extension) silently ignored.
// Refused with ErrorCode::InvalidValue (the message names the attribute path): a body
// whose `schemas` lacks the core schema of `type`; an unknown schema URN in `schemas` or
// as a key; an attribute or sub-attribute the schema does not define; a value of the
// wrong JSON type; a missing or blank userName (Users) or displayName (Groups); a
// userName over 1 KiB or any string over 64 KiB; two `primary: true` values in one
// multi-valued attribute; a member without a value or with a type other than User/Group.
Result<DecodedResource> decode_resource(ResourceType type, const boost::json::object& body);

struct RenderContext {
  std::string base_url;  // "https://host:8443/scim/v2"; meta.location = base_url + "/Users/" + id
};

// `projection` null: every attribute returned by default. `related.groups` become
// `groups` (type "direct") when any; `related.account`, when set, the rosterd extension
// {role, licence, team, state} (and its URN in `schemas`).
std::string render_user(const ResourceRecord& record, const RelatedToUser& related,
                        const RenderContext& context, const Projection* projection);
// `members` null: not loaded (the projection excluded them); empty: none (omitted).
std::string render_group(const ResourceRecord& record, const std::vector<MemberRef>* members,
                         const RenderContext& context, const Projection* projection);

// The weak entity tag of a version: W/"3". Also meta.version.
std::string etag(std::int64_t version);

}  // namespace rosterd::scim
