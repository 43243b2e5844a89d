// Compiles a SCIM filter (core/predicate.h) into a parameterised WHERE fragment over
// identities (alias `i`) or external_groups (alias `g`). The only dynamic SQL in rosterd:
// attribute names come from core/resource_schema.h, every literal becomes a $N
// placeholder. Answers agree with scim/filter_evaluator.h: an absent attribute is `ne`
// any value, multi-valued attributes match when any element does, strings compare
// ASCII case-insensitively unless caseExact.
//
// Indexed columns serve the common look-ups (id, userName, externalId, displayName through
// an index on lower(display_name)); `emails.value eq` and emails[... value eq ...] search
// the identity_emails table, which the identity store keeps in step with each identity's
// emails; everything else reads the `attributes` JSON document.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/predicate.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

struct CompiledFilter {
  std::string where;                // placeholders $first_param, $first_param+1, ...
  std::vector<std::string> params;  // bound as text, in order
};

enum class ResourceKind { User, Group };

// ErrorCode::InvalidFilter for an unknown attribute, an operator that does not apply to
// the attribute's type (gt on a boolean), or a dateTime literal that does not parse.
Result<CompiledFilter> compile_filter(const Predicate& p, ResourceKind kind, Dialect dialect,
                                      int first_param);

}  // namespace rosterd::sql
