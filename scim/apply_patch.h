// The SCIM PATCH engine (RFC 7644 section 3.5.2), transport-free: operations read by
// parse_patch_request() applied to a User or Group as the store holds it, with Group
// membership changes returned as steps the store runs without loading the member list.
//
// Semantics:
// - All operations of a request apply, or none: on error `target` is unchanged.
// - Attribute names in paths and in path-less values match the schema in any case and
//   are written under their canonical names ("Name": {"GivenName": ...} is name.givenName).
//   Path-less values may also use dotted keys ("name.givenName") and schema-qualified keys
//   ("urn:...:enterprise:2.0:User:employeeNumber", or the extension URN with an object);
//   a core schema URN means the top level. Extension attributes are stored in an object
//   under the extension URN.
// - Values are converted to the schema type (patch_value.h): "False" is a Boolean false;
//   a string given for manager means {"value": string}.
// - null or "" as the value of add or replace removes the attribute (or sub-attribute).
// - add: a simple or complex single-valued attribute is set (a complex value is merged
//   into the one present, sub-attribute by sub-attribute, except one carrying "value" —
//   manager — which replaces it); a multi-valued attribute gets the elements not already
//   present (same_element()). With a value filter, matching elements are updated; when
//   none matches and the filter is `a eq x [and b eq y ...]`, a new element is made of
//   those comparisons and the value (emails[type eq "work"].value on a user without a
//   work email adds {"type": "work", "value": ...}).
// - replace: as add, except that a multi-valued attribute is replaced whole, and a value
//   filter that matches nothing is ErrorCode::NoTarget; with a filter and no
//   sub-attribute, matching elements are replaced whole.
// - remove: removes the attribute, the sub-attribute, or the matching elements (NoTarget
//   when a filter matches nothing); with a value on a multi-valued attribute, removes the
//   elements with the same "value" (or equal elements). Removing an absent attribute
//   is not an error.
// - A sub-attribute of a multi-valued attribute without a filter ("emails.type") is set
//   on, or removed from, every element; add and replace make one element when none exists.
// - An element set with "primary": true makes the others of its attribute non-primary.
// - ErrorCode::Mutability: a path naming an attribute the schema marks read-only (id,
//   meta and meta.*, User groups, manager.displayName, members.display) or rosterd's
//   derived-account extension; removing a required attribute (userName, Group
//   displayName), also by a null or "" value. Read-only keys and sub-attributes inside a
//   value (Okta's {"id": ..., "displayName": ...}), "schemas" and the derived-account
//   extension echoed back are ignored.
// - ErrorCode::InvalidPath: an unknown attribute or sub-attribute in a path, a value
//   filter on a single-valued attribute or naming an unknown sub-attribute, `members`
//   on a User. ErrorCode::InvalidValue: a value of the wrong type or shape, an unknown
//   key in a path-less value or in a complex value.
//
// Group members (`members`) never enter `resource`; each change becomes a MemberStep:
// add → Add; replace → Clear then Add; remove without value → Clear; remove with value
// (Entra: [{"value": id}]) → Remove of those ids; remove members[value eq "id"] (or an
// `or` of such comparisons) → Remove, without loading the members and without NoTarget
// for ids that are not members. Any other member filter calls load_members() once and
// is evaluated on the members as changed by the earlier steps (NoTarget if none
// matches). add or replace with a member filter, and member sub-attribute paths, are
// InvalidPath. Member values: "value" → id; "type" User or Group in any case, else
// from a "$ref" naming /Groups/, else User.
#pragma once

#include <functional>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.h"
#include "scim/patch_request.h"
#include "store/identity_store.h"

namespace rosterd::scim {

// One change of a group's membership; steps run in order.
struct MemberStep {
  enum class Kind { Clear, Add, Remove };
  Kind kind = Kind::Add;
  std::vector<MemberRef> members;  // Add: id and type; Remove: members[i].id; Clear: empty
};

struct PatchTarget {
  ResourceType type = ResourceType::User;
  // In: the stored canonical form (no id, meta, members or groups). Out: patched.
  boost::json::object resource;
  // Out (Groups; replaced on success): the membership changes, in order. Consecutive
  // steps of the same kind are merged into one.
  std::vector<MemberStep> member_steps;
  // Every member (id, type, display), called at most once per apply_patch(), only for a
  // member filter that is not `value eq "id"` (or an `or` of those). May be empty when
  // the caller knows no such filter can come; such a filter then fails with Internal.
  std::function<Result<std::vector<MemberRef>>()> load_members;
};

// Errors name the operation by its index: "Operations[1]: ...".
Result<void> apply_patch(const std::vector<PatchOperation>& ops, PatchTarget& target);

}  // namespace rosterd::scim
