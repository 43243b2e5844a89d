#include "scim/filter_grammar.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "core/try.h"
#include "scim/parse_attribute_path.h"
#include "scim/parse_literal.h"
#include "scim/utf8.h"

namespace rosterd::scim {
namespace {

constexpr std::string_view kOperators = "(eq, ne, co, sw, ew, gt, ge, lt, le, pr)";
constexpr std::string_view kValue =
    "a value (a string in double quotes, a number, true, false or null)";

template <typename Node>
PredicatePtr make(Node&& node) {
  return std::make_unique<Predicate>(Predicate{std::forward<Node>(node)});
}

std::optional<CompareOp> compare_op(std::string_view word) {
  static constexpr std::array kAll = {CompareOp::Eq, CompareOp::Ne, CompareOp::Co, CompareOp::Sw,
                                      CompareOp::Ew, CompareOp::Gt, CompareOp::Ge, CompareOp::Lt,
                                      CompareOp::Le, CompareOp::Pr};
  for (const CompareOp op : kAll)
    if (equals_ignoring_case(word, to_string(op))) return op;
  return std::nullopt;
}

bool is_value_start(const FilterCursor& cursor) {
  const char c = cursor.peek();
  if (cursor.at_end()) return false;
  if (c == '"' || c == '-' || (c >= '0' && c <= '9')) return true;
  const std::string_view word = cursor.word();
  return equals_ignoring_case(word, "true") || equals_ignoring_case(word, "false") ||
         equals_ignoring_case(word, "null");
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string position_of(const FilterCursor& cursor, std::size_t offset) {
  return std::to_string(character_position(cursor.text(), offset));
}

// The operators that order or match substrings make no sense on true, false or null
// (RFC 7644: gt/ge/lt/le on a boolean is invalidFilter); co/sw/ew need a string.
Result<void> check_operand(const FilterCursor& cursor, CompareOp op, std::string_view op_text,
                           const Literal& value, std::size_t value_start) {
  using Kind = Literal::Kind;
  const bool ordering =
      op == CompareOp::Gt || op == CompareOp::Ge || op == CompareOp::Lt || op == CompareOp::Le;
  const bool substring = op == CompareOp::Co || op == CompareOp::Sw || op == CompareOp::Ew;
  if (ordering && (value.kind == Kind::Boolean || value.kind == Kind::Null))
    return cursor.fail(value_start, quoted(op_text) + " compares strings, numbers and dates, not " +
                                        cursor.describe(value_start));
  if (substring && value.kind != Kind::String)
    return cursor.fail(value_start, quoted(op_text) + " needs a string in double quotes, found " +
                                        cursor.describe(value_start));
  return {};
}

}  // namespace

FilterGrammar::FilterGrammar(FilterCursor& cursor, const FilterLimits& limits)
    : cursor_(cursor),
      max_depth_(std::min(limits.max_depth, kMaxFilterDepth)),
      max_terms_(std::min(limits.max_terms, kMaxFilterTerms)) {}

Result<PredicatePtr> FilterGrammar::parse_filter() { return parse_or(Scope::Filter); }

Result<PredicatePtr> FilterGrammar::parse_or(Scope scope) {
  ROSTERD_ASSIGN(PredicatePtr left, parse_and(scope));
  for (;;) {
    ROSTERD_ASSIGN(const bool more, take_keyword("or"));
    if (!more) return left;
    ROSTERD_ASSIGN(PredicatePtr right, parse_and(scope));
    left = make(Or{std::move(left), std::move(right)});
  }
}

Result<PredicatePtr> FilterGrammar::parse_and(Scope scope) {
  ROSTERD_ASSIGN(PredicatePtr left, parse_unary(scope));
  for (;;) {
    ROSTERD_ASSIGN(const bool more, take_keyword("and"));
    if (!more) return left;
    ROSTERD_ASSIGN(PredicatePtr right, parse_unary(scope));
    left = make(And{std::move(left), std::move(right)});
  }
}

// Consumes SP keyword SP when the next word is `keyword`; leaves the cursor alone if not.
Result<bool> FilterGrammar::take_keyword(std::string_view keyword) {
  const std::size_t start = cursor_.offset();
  const bool spaced = cursor_.skip_spaces();
  const std::string_view word = cursor_.word();
  if (!equals_ignoring_case(word, keyword)) {
    cursor_.seek(start);
    return false;
  }
  if (!spaced) return cursor_.fail(cursor_.offset(), "expected a space before " + quoted(word));
  cursor_.advance(word.size());
  // Only '(' could start the next operand without a space; anything else is reported by
  // parse_unary, which says what an operand looks like.
  if (!cursor_.skip_spaces() && !cursor_.at_end() && cursor_.peek() == '(')
    return cursor_.expected("a space after " + quoted(word));
  return true;
}

Result<PredicatePtr> FilterGrammar::parse_unary(Scope scope) {
  cursor_.skip_spaces();
  const std::size_t start = cursor_.offset();
  if (!cursor_.at_end() && cursor_.peek() == '(') return parse_group(scope, false);
  const std::string_view word = cursor_.word();
  if (equals_ignoring_case(word, "not")) {
    // "not" followed by '(' is the operator; otherwise it may be an attribute named "not".
    cursor_.advance(word.size());
    cursor_.skip_spaces();
    if (!cursor_.at_end() && cursor_.peek() == '(') return parse_group(scope, true);
    cursor_.seek(start);
  }
  if (word.empty()) return cursor_.expected("an attribute name, '(' or 'not ('");
  ROSTERD_ASSIGN(AttributePath path, parse_attribute_path(cursor_));
  if (scope == Scope::Brackets && (!path.schema.empty() || !path.sub_attribute.empty()))
    return cursor_.fail(start,
                        "inside '[...]' a path names one sub-attribute of the element "
                        "(such as 'type' or 'value'), found " +
                            cursor_.describe(start));
  if (!cursor_.at_end() && cursor_.peek() == '[') {
    if (scope == Scope::Brackets)
      return cursor_.fail(cursor_.offset(), "a value filter '[...]' cannot contain another one");
    return parse_value_path(std::move(path));
  }
  return parse_comparison(std::move(path), start);
}

Result<PredicatePtr> FilterGrammar::parse_group(Scope scope, bool negated) {
  const std::size_t open = cursor_.offset();
  ROSTERD_TRY(enter_level(open));
  cursor_.advance();
  ROSTERD_ASSIGN(PredicatePtr inner, parse_or(scope));
  cursor_.skip_spaces();
  if (cursor_.at_end() || cursor_.peek() != ')')
    return cursor_.expected("'and', 'or' or ')' to close the '(' at position " +
                            position_of(cursor_, open));
  cursor_.advance();
  --depth_;
  if (negated) return make(Not{std::move(inner)});
  return inner;
}

Result<PredicatePtr> FilterGrammar::parse_value_filter() {
  const std::size_t open = cursor_.offset();
  ROSTERD_TRY(enter_level(open));
  cursor_.advance();
  ROSTERD_ASSIGN(PredicatePtr filter, parse_or(Scope::Brackets));
  cursor_.skip_spaces();
  if (cursor_.at_end() || cursor_.peek() != ']')
    return cursor_.expected("'and', 'or' or ']' to close the '[' at position " +
                            position_of(cursor_, open));
  cursor_.advance();
  --depth_;
  return filter;
}

Result<PredicatePtr> FilterGrammar::parse_value_path(AttributePath path) {
  if (!path.sub_attribute.empty())
    return cursor_.fail(cursor_.offset(),
                        "a value filter '[...]' follows a multi-valued "
                        "attribute, not the sub-attribute '" +
                            path.to_string() + "'");
  ROSTERD_ASSIGN(PredicatePtr filter, parse_value_filter());
  if (!cursor_.at_end() && cursor_.peek() == '.') {
    // The Entra ID form attr[filter].sub op value, read as attr[filter and sub op value].
    cursor_.advance();
    const std::size_t sub_start = cursor_.offset();
    const std::string_view sub = cursor_.word();
    if (invalid_name_offset(sub) != std::string_view::npos)
      return cursor_.expected("a sub-attribute name after '].'");
    cursor_.advance(sub.size());
    ROSTERD_ASSIGN(PredicatePtr compare,
                   parse_comparison(AttributePath{{}, std::string(sub), {}}, sub_start));
    filter = make(And{std::move(filter), std::move(compare)});
  }
  return make(ValuePathFilter{std::move(path), std::move(filter)});
}

Result<PredicatePtr> FilterGrammar::parse_comparison(AttributePath path, std::size_t path_start) {
  ROSTERD_TRY(count_term(path_start));
  const std::string written =
      quoted(cursor_.text().substr(path_start, cursor_.offset() - path_start));
  const bool spaced = cursor_.skip_spaces();
  const std::string_view op_text = cursor_.word();
  const auto op = compare_op(op_text);
  if (!op || !spaced) {
    if (equals_ignoring_case(path.attribute, "not") && path.schema.empty() &&
        path.sub_attribute.empty())
      return cursor_.expected("'(' after 'not'");
    return cursor_.expected("a comparison operator " + std::string(kOperators) + " after " +
                            written);
  }
  cursor_.advance(op_text.size());
  if (*op == CompareOp::Pr) {
    ROSTERD_TRY(check_no_value_after_pr());
    return make(Comparison{std::move(path), *op, Literal::null()});
  }
  const bool value_spaced = cursor_.skip_spaces();
  const char next = cursor_.peek();
  if (cursor_.at_end() || next == ')' || next == ']')
    return cursor_.expected(std::string(kValue) + " after " + quoted(op_text));
  if (!value_spaced) return cursor_.expected("a space after " + quoted(op_text));
  const std::size_t value_start = cursor_.offset();
  ROSTERD_ASSIGN(Literal value, parse_literal(cursor_, op_text));
  ROSTERD_TRY(check_operand(cursor_, *op, op_text, value, value_start));
  return make(Comparison{std::move(path), *op, std::move(value)});
}

Result<void> FilterGrammar::check_no_value_after_pr() {
  const std::size_t after = cursor_.offset();
  cursor_.skip_spaces();
  if (is_value_start(cursor_))
    return cursor_.fail(cursor_.offset(), "'pr' (present) takes no value, found " +
                                              cursor_.describe(cursor_.offset()));
  cursor_.seek(after);
  return {};
}

Result<void> FilterGrammar::enter_level(std::size_t offset) {
  if (++depth_ > max_depth_)
    return cursor_.fail(offset, "the " + std::string(cursor_.subject()) + " nests deeper than " +
                                    std::to_string(max_depth_) +
                                    " levels of parentheses and brackets");
  return {};
}

Result<void> FilterGrammar::count_term(std::size_t offset) {
  if (++terms_ > max_terms_)
    return cursor_.fail(offset, "the " + std::string(cursor_.subject()) +
                                    " has too many comparisons (the limit is " +
                                    std::to_string(max_terms_) + ")");
  return {};
}

}  // namespace rosterd::scim
