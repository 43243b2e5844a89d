// Internal to the predicate compiler: what one comparison reads once its attribute has
// been resolved against the schema (a column, a JSON member, an element member), and how
// each operator is spelled against it. Placeholders are handed out by FilterParams.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/predicate.h"
#include "store/sql/filter_dialect.h"

namespace rosterd::sql {

// A piece of WHERE clause. `nullable`: may evaluate to NULL (SQL's unknown), which NOT
// would keep unknown; `atomic`: needs no parentheses next to AND/OR.
struct Fragment {
  std::string sql;
  bool nullable = false;
  bool atomic = true;
};

Fragment never_matches();
Fragment negate(const Fragment& f);
Fragment combine(const Fragment& left, std::string_view op, const Fragment& right);

class FilterParams {
 public:
  explicit FilterParams(int first) : next_(first) {}
  std::string bind(std::string value);  // returns "$N"
  std::vector<std::string> take() { return std::move(values_); }

 private:
  int next_;
  std::vector<std::string> values_;
};

struct TextTarget {
  std::string expr;        // as stored
  bool lower_expr = false; // compare lower(expr)
  bool lower_literal = false;
  bool datetime = false;   // normalise the literal through core/timestamp.h
  bool nullable = true;
};
struct BoolTarget {
  std::string when_true, when_false;
  bool nullable = true;
};
struct NumberTarget {
  std::string expr;
};
struct PresenceOnly {};  // a complex attribute: only pr applies

struct Target {
  std::string name;  // canonical attribute name, for messages
  std::variant<TextTarget, BoolTarget, NumberTarget, PresenceOnly> read;
  Fragment present;
};

// One comparison against a resolved target. `ne` and `eq null` are rewritten by the
// caller; here op is never Ne and a Null literal never reaches an operator but pr.
Result<Fragment> compare(const Target& target, CompareOp op, const Literal& literal,
                         FilterParams& params, const FilterDialect& dialect);

}  // namespace rosterd::sql
