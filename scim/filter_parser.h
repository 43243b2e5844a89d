// SCIM filters (RFC 7644 section 3.4.2.2) and PATCH paths (section 3.5.2) parsed into the
// storage-neutral rosterd::Predicate of core/predicate.h.
//
// The whole grammar of RFC 7644 Figure 1, valFilter as corrected by errata 7322 (value
// filters may use and/or/not and parentheses but may not nest another '[...]'):
// operators eq ne co sw ew gt ge lt le pr; and, or, not (...); "not" binds tighter than
// "and", which binds tighter than "or"; operators, keywords and attribute names in any
// case; JSON strings, numbers, true, false, null as values; one or more spaces or tabs
// between tokens.
//
// One extension, because Microsoft Entra ID sends it when the matching attribute is
// `emails[type eq "work"].value`: `attr[filter].sub op value` is read as
// `attr[filter and sub op value]`.
//
// Errors carry the 1-based character position where parsing stopped and what was
// expected there, e.g. "invalid filter at position 10: expected a comparison operator
// (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after 'userName', found 'equals'".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/predicate.h"

namespace rosterd::scim {

// Ceilings no FilterLimits can raise: the parser recurses once per nesting level and
// every consumer of a Predicate (evaluator, SQL compilers, destructor) recurses once per
// node, so both must stay far from a thread's stack size whatever the configuration.
inline constexpr std::size_t kMaxFilterDepth = 256;
inline constexpr std::size_t kMaxFilterTerms = 1000;

struct FilterLimits {
  std::size_t max_length = 8192;  // bytes
  std::size_t max_depth = 32;     // nested '(' and '[' (a "not (" counts its parenthesis)
  std::size_t max_terms = 200;    // comparisons (attrExp), those inside '[...]' included
};

// On error: ErrorCode::InvalidFilter.
Result<PredicatePtr> parse_filter(std::string_view text, const FilterLimits& limits = {});

// PATH = attrPath / valuePath [subAttr]: "name.givenName", "members[value eq \"x\"]",
// "emails[type eq \"work\"].value",
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager".
struct PatchPath {
  AttributePath attribute;    // with a value filter: the multi-valued attribute alone
  PredicatePtr value_filter;  // the filter between '[' and ']', or null
  std::string sub_attribute;  // after "].", or empty
};

// On error: ErrorCode::InvalidPath.
Result<PatchPath> parse_patch_path(std::string_view text, const FilterLimits& limits = {});

}  // namespace rosterd::scim
