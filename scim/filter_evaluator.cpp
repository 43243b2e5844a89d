#include "scim/filter_evaluator.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "core/email.h"
#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

// Core-schema attributes live at the top level of a resource (RFC 7643 section 3).
constexpr std::string_view kCoreSchemaPrefix = "urn:ietf:params:scim:schemas:core:2.0:";
// Deeper than any SCIM resource (resource, extension, complex attribute, sub-attribute);
// bounds the recursion of presence checks on resources built by hand.
constexpr int kMaxPresenceDepth = 8;

const json::value* find_key(const json::object& object, std::string_view name) {
  if (const auto it = object.find(name); it != object.end()) return &it->value();
  for (const auto& member : object)
    if (equals_ignoring_case(member.key(), name)) return &member.value();
  return nullptr;
}

bool is_present(const json::value& value, int depth = 0) {
  if (depth > kMaxPresenceDepth) return true;
  if (value.is_null()) return false;
  if (const auto* s = value.if_string()) return !s->empty();
  if (const auto* a = value.if_array()) {
    for (const auto& element : *a)
      if (is_present(element, depth + 1)) return true;
    return false;
  }
  if (const auto* o = value.if_object()) {
    for (const auto& member : *o)
      if (is_present(member.value(), depth + 1)) return true;
    return false;
  }
  return true;
}

std::optional<double> number_of(const json::value& value) {
  if (const auto* i = value.if_int64()) return static_cast<double>(*i);
  if (const auto* u = value.if_uint64()) return static_cast<double>(*u);
  if (const auto* d = value.if_double()) return *d;
  return std::nullopt;
}

template <typename T>
bool ordered(CompareOp op, const T& a, const T& b) {
  switch (op) {
    case CompareOp::Eq:
      return a == b;
    case CompareOp::Gt:
      return a > b;
    case CompareOp::Ge:
      return a >= b;
    case CompareOp::Lt:
      return a < b;
    case CompareOp::Le:
      return a <= b;
    default:
      return false;
  }
}

bool compare_strings(std::string_view value, CompareOp op, std::string_view literal,
                     bool case_exact) {
  const std::string a = case_exact ? std::string(value) : ascii_lower(value);
  const std::string b = case_exact ? std::string(literal) : ascii_lower(literal);
  const std::string_view av = a;
  switch (op) {
    case CompareOp::Co:
      return av.find(b) != std::string_view::npos;
    case CompareOp::Sw:
      return av.starts_with(b);
    case CompareOp::Ew:
      return av.ends_with(b);
    default:
      return ordered(op, av, std::string_view(b));
  }
}

// One JSON value against the literal, for every operator but pr and ne.
bool compare_value(const json::value& value, CompareOp op, const Literal& literal,
                   bool case_exact) {
  switch (literal.kind) {
    case Literal::Kind::String: {
      const auto* s = value.if_string();
      return s && compare_strings(*s, op, literal.text, case_exact);
    }
    case Literal::Kind::Number: {
      const auto n = number_of(value);
      return n && ordered(op, *n, literal.number);
    }
    case Literal::Kind::Boolean: {
      const auto* b = value.if_bool();
      return b && op == CompareOp::Eq && *b == literal.boolean;
    }
    case Literal::Kind::Null:
      return false;
  }
  return false;
}

// A value to compare, and whether it was read from a "value" sub-attribute the filter
// did not name (`emails eq "x"`), which changes the path asked of CaseExactFn.
struct Candidate {
  const json::value* value;
  bool implied_value;
};

void add_member(const json::value& node, std::string_view sub, std::vector<Candidate>& out) {
  if (const auto* o = node.if_object()) {
    if (const auto* v = find_key(*o, sub.empty() ? "value" : sub)) out.push_back({v, sub.empty()});
  } else if (sub.empty() || equals_ignoring_case(sub, "value")) {
    out.push_back({&node, false});  // a plain element is its own "value"
  }
}

std::vector<Candidate> candidates(const json::value& node, std::string_view sub) {
  std::vector<Candidate> out;
  if (const auto* a = node.if_array()) {
    for (const auto& element : *a) add_member(element, sub, out);
  } else {
    add_member(node, sub, out);
  }
  return out;
}

// Where paths resolve: the resource, or one element inside attr[...].
struct Scope {
  const json::object& object;
  const AttributePath* parent;  // the multi-valued attribute inside attr[...], else null
};

class Evaluator {
 public:
  explicit Evaluator(const CaseExactFn& case_exact) : case_exact_(case_exact) {}

  bool eval(const Predicate& p, const Scope& scope) const {
    return std::visit([&](const auto& node) { return eval_node(node, scope); }, p.node);
  }

 private:
  bool eval_node(const Comparison& c, const Scope& scope) const;
  bool eval_node(const ValuePathFilter& f, const Scope& scope) const;
  bool eval_node(const And& n, const Scope& scope) const {
    return eval(*n.left, scope) && eval(*n.right, scope);
  }
  bool eval_node(const Or& n, const Scope& scope) const {
    return eval(*n.left, scope) || eval(*n.right, scope);
  }
  bool eval_node(const Not& n, const Scope& scope) const { return !eval(*n.inner, scope); }
  bool compare(const AttributePath& path, CompareOp op, const Literal& literal,
               const Scope& scope) const;
  bool each_element(const json::value& node, const Predicate& filter,
                    const AttributePath& path) const;
  bool case_exact(const AttributePath& path) const { return case_exact_ && case_exact_(path); }

  const CaseExactFn& case_exact_;
};

const json::value* lookup(const Scope& scope, const AttributePath& path) {
  if (scope.parent || path.schema.empty() ||
      equals_ignoring_case(std::string_view(path.schema).substr(0, kCoreSchemaPrefix.size()),
                           kCoreSchemaPrefix))
    return find_key(scope.object, path.attribute);
  const json::value* extension = find_key(scope.object, path.schema);
  const auto* object = extension ? extension->if_object() : nullptr;
  return object ? find_key(*object, path.attribute) : nullptr;
}

bool Evaluator::eval_node(const Comparison& c, const Scope& scope) const {
  if (c.op == CompareOp::Ne) return !compare(c.path, CompareOp::Eq, c.value, scope);
  return compare(c.path, c.op, c.value, scope);
}

bool Evaluator::compare(const AttributePath& path, CompareOp op, const Literal& literal,
                        const Scope& scope) const {
  const json::value* node = lookup(scope, path);
  const std::string_view sub =
      scope.parent ? std::string_view() : std::string_view(path.sub_attribute);
  const auto found = node ? candidates(*node, sub) : std::vector<Candidate>{};
  const bool present = sub.empty()
                           ? node && is_present(*node)
                           : std::any_of(found.begin(), found.end(),
                                         [](const Candidate& x) { return is_present(*x.value); });
  if (op == CompareOp::Pr) return present;
  if (op == CompareOp::Eq && literal.kind == Literal::Kind::Null) return !present;
  const AttributePath resolved =
      scope.parent ? AttributePath{scope.parent->schema, scope.parent->attribute, path.attribute}
                   : path;
  // Asked once per distinct path, not per element.
  std::optional<bool> exact, exact_implied;
  for (const Candidate& x : found) {
    std::optional<bool>& cached = x.implied_value ? exact_implied : exact;
    if (!cached) {
      AttributePath asked = resolved;
      if (x.implied_value) asked.sub_attribute = "value";
      cached = case_exact(asked);
    }
    if (compare_value(*x.value, op, literal, *cached)) return true;
  }
  return false;
}

bool Evaluator::eval_node(const ValuePathFilter& f, const Scope& scope) const {
  const json::value* node = lookup(scope, f.path);
  if (!node || !f.filter) return false;
  if (const auto* a = node->if_array()) {
    for (const auto& element : *a)
      if (each_element(element, *f.filter, f.path)) return true;
    return false;
  }
  return each_element(*node, *f.filter, f.path);
}

bool Evaluator::each_element(const json::value& element, const Predicate& filter,
                             const AttributePath& path) const {
  if (const auto* o = element.if_object()) return eval(filter, Scope{*o, &path});
  if (element.is_null()) return false;
  json::object wrapped;
  wrapped["value"] = element;
  return eval(filter, Scope{wrapped, &path});
}

}  // namespace

bool matches(const Predicate& p, const json::object& resource, const CaseExactFn& case_exact) {
  return Evaluator(case_exact).eval(p, Scope{resource, nullptr});
}

bool matches_element(const Predicate& filter, const json::object& element,
                     const AttributePath& attribute, const CaseExactFn& case_exact) {
  return Evaluator(case_exact).eval(filter, Scope{element, &attribute});
}

}  // namespace rosterd::scim
