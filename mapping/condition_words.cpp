// ConditionProgram's explanations: the facts that made a rule match (audit inputs) and
// the reasons in words for `rosterd explain`. Kept apart from evaluation, which never
// builds a string.
#include <algorithm>

#include "mapping/condition_program.h"

namespace rosterd {
namespace {

using Kind = Condition::Kind;
using Test = Condition::Test;

std::string quoted(std::string_view v) { return "'" + std::string(v) + "'"; }

std::string quoted_list(std::span<const std::string> values) {
  constexpr std::size_t kShown = 3;
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < kShown; ++i)
    out += (i ? ", " : "") + quoted(values[i]);
  if (values.size() > kShown) out += " and " + std::to_string(values.size() - kShown) + " more";
  return out;
}

std::string joined(std::span<const std::string> values, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += separator;
    out += values[i];
  }
  return out;
}

std::vector<std::string> non_empty(std::span<const std::string> values) {
  std::vector<std::string> out;
  for (const auto& v : values)
    if (!v.empty()) out.push_back(v);
  return out;
}

// "CN=Recruiting-Paris,... (nested via CN=Paris)" for a chain from a direct group.
std::string chain_words(const std::vector<int>& chain, const GroupIndex& groups,
                        std::string_view nested_prefix) {
  std::string out(groups.label(chain.back()));
  if (chain.size() > 1) {
    std::vector<std::string> via;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) via.emplace_back(groups.label(chain[i]));
    out += " (" + std::string(nested_prefix) + joined(via, " > ") + ")";
  }
  return out;
}

}  // namespace

std::string_view ConditionProgram::first_match(const Node& node, const IdentityView& identity) const {
  const Condition& c = *node.condition;
  for (const auto& v : identity.values->values(node.slot))
    if (c.test == Test::Present ? !v.empty() : value_matches(node, v, nullptr)) return v;
  return {};
}

void ConditionProgram::facts(int index, const IdentityView& identity, const GroupIndex& groups,
                             MatchCache& cache, Facts& out) const {
  const Node& node = nodes_[static_cast<std::size_t>(index)];
  const Condition& c = *node.condition;
  switch (c.kind) {
    case Kind::All:
      for (const int child : node.children) facts(child, identity, groups, cache, out);
      return;
    case Kind::Any:
      for (const int child : node.children)
        if (evaluate(child, identity, cache)) {
          facts(child, identity, groups, cache, out);
          return;
        }
      return;
    case Kind::Not:
      return;  // what is not there is not a fact worth recording
    case Kind::Group: {
      const auto chain = groups.path_to(identity.direct_groups, node.pattern);
      if (!chain.empty()) out.emplace_back("group", chain_words(chain, groups, "nested via "));
      return;
    }
    case Kind::Source:
      out.emplace_back("source", identity.person->source);
      return;
    case Kind::Attribute:
      out.emplace_back(c.attribute, c.test == Test::Absent ? std::string("(absent)")
                                                           : std::string(first_match(node, identity)));
      return;
  }
}

std::string ConditionProgram::group_words(const Node& node, const IdentityView& identity,
                                          const GroupIndex& groups, bool matched) const {
  if (!matched) return "member of no group matching " + quoted(node.condition->pattern);
  const auto chain = groups.path_to(identity.direct_groups, node.pattern);
  if (chain.empty()) return "member of a group matching " + quoted(node.condition->pattern);
  return "member of " + chain_words(chain, groups, "nested, via ");
}

std::string ConditionProgram::attribute_words(const Node& node, const IdentityView& identity,
                                              bool matched) const {
  const Condition& c = *node.condition;
  const std::string& name = c.attribute;
  const auto values = non_empty(identity.values->values(node.slot));
  const std::string have = values.empty() ? name + " is absent" : name + " " + quoted_list(values);
  switch (c.test) {
    case Test::Present:
    case Test::Absent:
      return values.empty() ? have : name + " is present (" + quoted_list(values) + ")";
    case Test::Matches: {
      const std::string& pattern = regexes_[static_cast<std::size_t>(node.regex)].pattern();
      if (matched) return name + " " + quoted(first_match(node, identity)) + " matches " + pattern;
      return have + (values.empty() ? ", so nothing matches " : " does not match ") + pattern;
    }
    case Test::Equals:
    case Test::In: {
      const std::string operands = quoted_list(c.values);
      const bool several = c.values.size() > 1;
      if (matched)
        return name + " " + quoted(first_match(node, identity)) +
               (several ? " is one of " : " is ") + operands;
      return have + (values.empty() ? ", not " : (several ? " is not one of " : " is not ")) + operands;
    }
  }
  return have;
}

bool ConditionProgram::explain(int index, const IdentityView& identity, const GroupIndex& groups,
                               MatchCache& cache, std::vector<std::string>& because) const {
  const Node& node = nodes_[static_cast<std::size_t>(index)];
  const Condition& c = *node.condition;
  const bool matched = evaluate(index, identity, cache);
  switch (c.kind) {
    case Kind::All:
    case Kind::Any: {
      // A conjunction that holds, or a disjunction that fails: every part counts.
      // Otherwise only the parts that decided: the failing ones, or the first that held.
      const bool every = (c.kind == Kind::All) == matched;
      for (const int child : node.children) {
        std::vector<std::string> words;
        const bool child_matched = explain(child, identity, groups, cache, words);
        if (every || child_matched == matched) {
          because.insert(because.end(), words.begin(), words.end());
          if (!every && c.kind == Kind::Any) break;
        }
      }
      break;
    }
    case Kind::Not: {
      std::vector<std::string> words;
      if (!node.children.empty()) explain(node.children.front(), identity, groups, cache, words);
      for (auto& w : words) because.push_back("not: " + w);
      break;
    }
    case Kind::Group:
      because.push_back(group_words(node, identity, groups, matched));
      break;
    case Kind::Source:
      because.push_back("source is " + identity.person->source +
                        (matched ? "" : ", not " + joined(c.sources, " or ")));
      break;
    case Kind::Attribute:
      because.push_back(attribute_words(node, identity, matched));
      break;
  }
  return matched;
}

}  // namespace rosterd
