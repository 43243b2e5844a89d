// The body of a SCIM PATCH request (RFC 7644 section 3.5.2), read into operations that
// apply_patch() can run. Only the shape is checked here; whether a path names a known,
// writable attribute and whether a value fits it is decided against the resource schema
// by apply_patch().
//
// Accepted as Okta and Microsoft Entra ID send it: op names in any case ("Replace"),
// the keys "schemas", "Operations", "op", "path" and "value" in any case, a null "path"
// read as no path.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "scim/filter_parser.h"

namespace rosterd::scim {

inline constexpr std::string_view kPatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

struct PatchOperation {
  enum class Op { Add, Replace, Remove };
  Op op = Op::Add;
  std::optional<PatchPath> path;  // absent: the operation targets the resource itself
  // Null for a remove without value. Add and replace always had a "value", which may be
  // null or "": apply_patch() reads that as "remove the attribute" (Entra, Okta).
  boost::json::value value;
};

std::string_view to_string(PatchOperation::Op op);  // "add", "replace", "remove"

// Errors:
// - ErrorCode::InvalidSyntax: the body is not an object; "schemas" does not list
//   urn:ietf:params:scim:api:messages:2.0:PatchOp; "Operations" is missing, not an array
//   or empty; an operation is not an object; "op" is missing, not a string or unknown;
//   "path" is not a string;
// - ErrorCode::InvalidPath: "path" does not parse (parse_patch_path());
// - ErrorCode::InvalidValue: add or replace without "value";
// - ErrorCode::NoTarget: remove without "path" (RFC 7644 section 3.5.2.2).
// Messages name the operation by its index: "Operations[2]: ...".
Result<std::vector<PatchOperation>> parse_patch_request(const boost::json::value& body,
                                                        const FilterLimits& limits = {});

}  // namespace rosterd::scim
