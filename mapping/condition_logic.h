// Conservative reasoning over rule conditions for lint: a condition as a conjunction of
// literals, whether one literal implies another, and whether a conjunction can never
// hold. "Conservative" means: a yes is certain; a no may just mean "cannot tell"
// (attributes may be multi-valued, so `title = A` and `title = B` can hold together).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/rule_condition.h"

namespace rosterd {

struct Literal {
  const Condition* atom = nullptr;  // Group, Attribute or Source; or an opaque All/Any
  bool negated = false;
  Condition::Test test = Condition::Test::Equals;  // Absent is read as a negated Present
};

// The literals whose conjunction is `condition`. Parts that are not conjunctions (an
// `any` of several, a negated `all`) stay whole, compared only for equality.
std::vector<Literal> conjunction(const Condition& condition);

// True if `a` holding makes `b` hold too.
bool implies(const Literal& a, const Literal& b);

// Why the condition can never hold ("title is both present and absent"), or nullopt if
// it may hold (or we cannot tell).
std::optional<std::string> never_holds(const Condition& condition);

// Why two conjunctions can never hold together, or nullopt.
std::optional<std::string> contradiction(const std::vector<Literal>& literals);

// In words, for messages: "title present", "not group 'CN=Staff'", "source okta".
std::string describe(const Literal& literal);

}  // namespace rosterd
