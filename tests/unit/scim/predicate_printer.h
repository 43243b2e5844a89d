// Test helpers for the SCIM filter tests: a printer that writes a Predicate as a fully
// parenthesised prefix expression, so a test can state the exact tree shape —
// "a eq 1 or b eq 2 and c eq 3" prints (or (eq a 1) (and (eq b 2) (eq c 3))) — and
// shortcuts that parse and print, or parse and return the error message.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

#include "core/predicate.h"
#include "scim/filter_parser.h"

namespace rosterd::scim::testing {

inline std::string print_literal(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::Null:
      return "null";
    case Literal::Kind::Boolean:
      return literal.boolean ? "true" : "false";
    case Literal::Kind::Number:
      return literal.text;
    case Literal::Kind::String:
      return "\"" + literal.text + "\"";
  }
  return "?";
}

inline std::string print(const Predicate& p);

struct PrintNode {
  std::string operator()(const Comparison& c) const {
    std::string out = "(" + std::string(to_string(c.op)) + " " + c.path.to_string();
    if (c.op != CompareOp::Pr) out += " " + print_literal(c.value);
    return out + ")";
  }
  std::string operator()(const ValuePathFilter& f) const {
    return f.path.to_string() + "[" + (f.filter ? print(*f.filter) : "null") + "]";
  }
  std::string operator()(const And& n) const {
    return "(and " + print(*n.left) + " " + print(*n.right) + ")";
  }
  std::string operator()(const Or& n) const {
    return "(or " + print(*n.left) + " " + print(*n.right) + ")";
  }
  std::string operator()(const Not& n) const { return "(not " + print(*n.inner) + ")"; }
};

inline std::string print(const Predicate& p) { return std::visit(PrintNode{}, p.node); }

// The printed tree, or "error: <message>" so a failed expectation shows why.
inline std::string parsed(std::string_view filter, const FilterLimits& limits = {}) {
  auto result = parse_filter(filter, limits);
  if (!result) return "error: " + result.error().message;
  return print(**result);
}

// The error message, or "parsed: <tree>" when the filter was wrongly accepted.
inline std::string filter_error(std::string_view filter, const FilterLimits& limits = {}) {
  auto result = parse_filter(filter, limits);
  if (result) return "parsed: " + print(**result);
  EXPECT_EQ(result.error().code, ErrorCode::InvalidFilter) << filter;
  return result.error().message;
}

}  // namespace rosterd::scim::testing
