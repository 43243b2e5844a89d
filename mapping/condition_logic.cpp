#include "mapping/condition_logic.h"

#include <algorithm>
#include <set>

#include "core/email.h"
#include "mapping/group_pattern.h"

namespace rosterd {
namespace {

using Kind = Condition::Kind;
using Test = Condition::Test;

bool is_atom(const Condition& c) {
  return c.kind == Kind::Group || c.kind == Kind::Attribute || c.kind == Kind::Source;
}

std::set<std::string> lowered(const std::vector<std::string>& values) {
  std::set<std::string> out;
  for (const auto& v : values) out.insert(ascii_lower(v));
  return out;
}

// Structural equality, the way the engine compares (case-insensitive names and values).
bool same(const Condition& a, const Condition& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::Group:
      return GroupPattern(a.pattern, a.glob) == GroupPattern(b.pattern, b.glob);
    case Kind::Source:
      return std::set(a.sources.begin(), a.sources.end()) == std::set(b.sources.begin(), b.sources.end());
    case Kind::Attribute:
      if (ascii_lower(a.attribute) != ascii_lower(b.attribute) || a.test != b.test) return false;
      return a.test == Test::Matches ? a.values == b.values : lowered(a.values) == lowered(b.values);
    default:
      if (a.children.size() != b.children.size()) return false;
      for (std::size_t i = 0; i < a.children.size(); ++i)
        if (!same(a.children[i], b.children[i])) return false;
      return true;
  }
}

void flatten(const Condition& c, bool negated, std::vector<Literal>& out) {
  if (is_atom(c)) {
    const bool absent = c.kind == Kind::Attribute && c.test == Test::Absent;
    out.push_back(Literal{&c, absent ? !negated : negated, absent ? Test::Present : c.test});
    return;
  }
  if (c.kind == Kind::Not && c.children.size() == 1) return flatten(c.children.front(), !negated, out);
  if (c.kind == Kind::Any && c.children.size() == 1) return flatten(c.children.front(), negated, out);
  if (c.kind == Kind::All && !negated) {
    for (const auto& child : c.children) flatten(child, false, out);
    return;
  }
  out.push_back(Literal{&c, negated, c.test});
}

// Both positive: does `a` make `b` hold?
bool implies_positive(const Literal& a, const Literal& b) {
  const Condition& x = *a.atom;
  const Condition& y = *b.atom;
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case Kind::Group:
      return GroupPattern(y.pattern, y.glob).covers(GroupPattern(x.pattern, x.glob));
    case Kind::Source:
      return std::all_of(x.sources.begin(), x.sources.end(), [&](const std::string& s) {
        return std::find(y.sources.begin(), y.sources.end(), s) != y.sources.end();
      });
    case Kind::Attribute: {
      if (ascii_lower(x.attribute) != ascii_lower(y.attribute)) return false;
      const bool x_set = a.test == Test::Equals || a.test == Test::In;
      const bool y_set = b.test == Test::Equals || b.test == Test::In;
      if (b.test == Test::Present)
        return a.test == Test::Present ||
               (x_set && !x.values.empty() &&
                std::none_of(x.values.begin(), x.values.end(), [](const auto& v) { return v.empty(); }));
      if (x_set && y_set) {
        const auto xs = lowered(x.values), ys = lowered(y.values);
        return std::includes(ys.begin(), ys.end(), xs.begin(), xs.end());
      }
      return a.test == b.test && same(x, y);
    }
    default:
      return same(x, y);
  }
}

}  // namespace

std::vector<Literal> conjunction(const Condition& condition) {
  std::vector<Literal> out;
  flatten(condition, false, out);
  return out;
}

bool implies(const Literal& a, const Literal& b) {
  if (a.negated != b.negated) return false;
  // not A => not B exactly when B => A.
  return a.negated ? implies_positive(Literal{b.atom, false, b.test}, Literal{a.atom, false, a.test})
                   : implies_positive(a, b);
}

std::string describe(const Literal& l) {
  const Condition& c = *l.atom;
  const std::string neg = l.negated ? "not " : "";
  switch (c.kind) {
    case Kind::Group:
      return neg + "group '" + c.pattern + "'";
    case Kind::Source: {
      std::string out = neg + "source ";
      for (std::size_t i = 0; i < c.sources.size(); ++i) out += (i ? "|" : "") + c.sources[i];
      return out;
    }
    case Kind::Attribute: {
      if (l.test == Test::Present) return c.attribute + (l.negated ? " absent" : " present");
      std::string values;
      for (std::size_t i = 0; i < c.values.size(); ++i) values += (i ? ", '" : "'") + c.values[i] + "'";
      const char* verb = l.test == Test::Matches ? " matches " : (c.values.size() > 1 ? " in " : " equals ");
      return neg + c.attribute + verb + values;
    }
    case Kind::All:
      return neg + "all of " + std::to_string(c.children.size()) + " conditions";
    case Kind::Any:
      return neg + "any of " + std::to_string(c.children.size()) + " conditions";
    default:
      return neg + "a negated condition";
  }
}

std::optional<std::string> contradiction(const std::vector<Literal>& literals) {
  for (const Literal& p : literals) {
    for (const Literal& q : literals) {
      if (&p == &q) continue;
      // p holds, and p implies what q denies.
      if (!p.negated && q.negated && implies(p, Literal{q.atom, false, q.test}))
        return "'" + describe(p) + "' and '" + describe(q) + "' cannot both hold";
      // An identity has one source.
      if (!p.negated && !q.negated && p.atom->kind == Kind::Source && q.atom->kind == Kind::Source &&
          std::none_of(p.atom->sources.begin(), p.atom->sources.end(), [&](const std::string& s) {
            return std::find(q.atom->sources.begin(), q.atom->sources.end(), s) != q.atom->sources.end();
          }))
        return "an identity has one source: '" + describe(p) + "' and '" + describe(q) +
               "' cannot both hold";
    }
  }
  return std::nullopt;
}

std::optional<std::string> never_holds(const Condition& c) {
  switch (c.kind) {
    case Kind::All:
      for (const auto& child : c.children)
        if (auto why = never_holds(child)) return why;
      return contradiction(conjunction(c));
    case Kind::Any: {
      if (c.children.empty()) return std::nullopt;
      std::optional<std::string> first;
      for (const auto& child : c.children) {
        auto why = never_holds(child);
        if (!why) return std::nullopt;
        if (!first) first = why;
      }
      return "no alternative can hold (" + *first + ")";
    }
    case Kind::Not:
      if (c.children.size() == 1 && c.children.front().kind == Kind::Not &&
          c.children.front().children.size() == 1)
        return never_holds(c.children.front().children.front());
      return std::nullopt;
    case Kind::Source:
      if (c.sources.empty()) return "it names no source";
      return std::nullopt;
    case Kind::Attribute:
      if ((c.test == Test::Equals || c.test == Test::In) && c.values.empty())
        return c.attribute + " is compared with no value";
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace rosterd
