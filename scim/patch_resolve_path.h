// A PATCH path (filter_parser.h PatchPath) resolved against the resource schema: which
// attribute, which sub-attribute, and whether the value filter names only sub-attributes
// the attribute has.
#pragma once

#include <string>

#include "core/error.h"
#include "core/predicate.h"
#include "core/resource_schema.h"
#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"

namespace rosterd::scim {

struct ResolvedPath {
  const AttributeSpec* attribute = nullptr;  // top level: "emails", "name", "urn:...:manager"
  const AttributeSpec* sub = nullptr;        // "name.givenName", "emails.value", or null
  const Predicate* filter = nullptr;         // of attr[filter] (borrowed from the PatchPath)
  AttributePath scope;                       // the attribute as written, for matches_element()
  std::string text;                          // canonical, for messages: emails[...].value
};

// `unknown` is the code for a name the schema does not have: InvalidPath for the path of
// an operation, InvalidValue for a key of a path-less value. A filter on a single-valued
// attribute, a filter naming an unknown sub-attribute, or one holding another '[...]'
// is InvalidPath.
Result<ResolvedPath> resolve_patch_path(const ResourceSchema& schema, const PatchPath& path,
                                        ErrorCode unknown);

// Read-only in the schema (id, meta and meta.*, User groups, manager.displayName,
// members.display): a path naming it is refused with scimType mutability.
bool is_read_only(const ResolvedPath& path);

// CaseExactFn for matches_element() from the schema's caseExact.
CaseExactFn case_exact_in(const ResourceSchema& schema);

}  // namespace rosterd::scim
