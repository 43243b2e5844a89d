#include "scim/filter_parser.h"

#include <utility>

#include "core/try.h"
#include "scim/filter_cursor.h"
#include "scim/filter_grammar.h"
#include "scim/parse_attribute_path.h"

namespace rosterd::scim {
namespace {

// Checked before anything else is read: the length bounds all the parser's work.
Result<void> check_length(const FilterCursor& cursor, std::string_view subject,
                          const FilterLimits& limits) {
  if (cursor.text().size() <= limits.max_length) return {};
  return cursor.fail(limits.max_length, "the " + std::string(subject) + " is longer than " +
                                            std::to_string(limits.max_length) + " bytes");
}

tl::unexpected<Error> trailing(const FilterCursor& cursor) {
  const char c = cursor.peek();
  if (c == ')') return cursor.fail(cursor.offset(), "found ')' with no '(' before it to close");
  if (c == ']') return cursor.fail(cursor.offset(), "found ']' with no '[' before it to close");
  return cursor.expected("'and', 'or' or the end of the filter");
}

// After "attr[filter]": "." and the sub-attribute the operation targets, as in
// "emails[type eq \"work\"].value".
Result<std::string> parse_sub_attribute(FilterCursor& cursor) {
  cursor.advance();
  const std::string_view name = cursor.word();
  if (invalid_name_offset(name) != std::string_view::npos)
    return cursor.expected("a sub-attribute name after '].'");
  cursor.advance(name.size());
  return std::string(name);
}

}  // namespace

Result<PredicatePtr> parse_filter(std::string_view text, const FilterLimits& limits) {
  FilterCursor cursor(text, ErrorCode::InvalidFilter, "filter");
  ROSTERD_TRY(check_length(cursor, "filter", limits));
  cursor.skip_spaces();
  if (cursor.at_end()) return cursor.fail(0, "the filter is empty");
  FilterGrammar grammar(cursor, limits);
  ROSTERD_ASSIGN(PredicatePtr predicate, grammar.parse_filter());
  cursor.skip_spaces();
  if (!cursor.at_end()) return trailing(cursor);
  return predicate;
}

Result<PatchPath> parse_patch_path(std::string_view text, const FilterLimits& limits) {
  FilterCursor cursor(text, ErrorCode::InvalidPath, "path");
  ROSTERD_TRY(check_length(cursor, "path", limits));
  cursor.skip_spaces();
  if (cursor.at_end()) return cursor.fail(0, "the path is empty");
  PatchPath path;
  ROSTERD_ASSIGN(path.attribute, parse_attribute_path(cursor));
  if (!cursor.at_end() && cursor.peek() == '[') {
    if (!path.attribute.sub_attribute.empty())
      return cursor.fail(cursor.offset(),
                         "a value filter '[...]' follows a multi-valued "
                         "attribute, not the sub-attribute '" +
                             path.attribute.to_string() + "'");
    FilterGrammar grammar(cursor, limits);
    ROSTERD_ASSIGN(path.value_filter, grammar.parse_value_filter());
    if (!cursor.at_end() && cursor.peek() == '.') {
      ROSTERD_ASSIGN(path.sub_attribute, parse_sub_attribute(cursor));
    }
  }
  cursor.skip_spaces();
  if (cursor.at_end()) return path;
  if (path.value_filter)
    return cursor.expected("'.' and a sub-attribute name, or the end of the path");
  return cursor.expected("'[', or the end of the path");
}

}  // namespace rosterd::scim
