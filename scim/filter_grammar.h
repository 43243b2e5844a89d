// The recursive descent behind parse_filter and parse_patch_path (RFC 7644 Figure 1 with
// errata 7322):
//   filter = and *(SP "or" SP and)
//   and    = unary *(SP "and" SP unary)
//   unary  = "not" *SP "(" filter ")" / "(" filter ")" / attrPath "[" filter "]" / attrExp
//   attrExp = attrPath SP "pr" / attrPath SP compareOp SP compValue
// Inside '[...]' a path names a sub-attribute of the element and '[' may not nest.
// Depth and term counters are explicit, so no input can exhaust the stack.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "core/predicate.h"
#include "scim/filter_cursor.h"
#include "scim/filter_parser.h"

namespace rosterd::scim {

class FilterGrammar {
 public:
  FilterGrammar(FilterCursor& cursor, const FilterLimits& limits);

  // A filter, up to the first thing that cannot continue it; the caller checks what.
  Result<PredicatePtr> parse_filter();
  // "[" filter "]", the cursor on the '['; leaves the cursor after the ']'.
  Result<PredicatePtr> parse_value_filter();

 private:
  enum class Scope { Filter, Brackets };

  Result<PredicatePtr> parse_or(Scope scope);
  Result<PredicatePtr> parse_and(Scope scope);
  Result<PredicatePtr> parse_unary(Scope scope);
  Result<PredicatePtr> parse_group(Scope scope, bool negated);
  Result<PredicatePtr> parse_value_path(AttributePath path);
  Result<PredicatePtr> parse_comparison(AttributePath path, std::size_t path_start);
  Result<void> check_no_value_after_pr();
  Result<bool> take_keyword(std::string_view keyword);
  Result<void> enter_level(std::size_t offset);
  Result<void> count_term(std::size_t offset);

  FilterCursor& cursor_;
  std::size_t max_depth_;
  std::size_t max_terms_;
  std::size_t depth_ = 0;
  std::size_t terms_ = 0;
};

}  // namespace rosterd::scim
