#include "mapping/condition_program.h"

#include <algorithm>

#include "core/email.h"

namespace rosterd {
namespace {

using Kind = Condition::Kind;
using Test = Condition::Test;

constexpr std::size_t kMaxCachedValues = 1 << 14;  // per regex: bounded memory
constexpr std::size_t kJudgeAfter = 2048;

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `lowered` is already in lower case.
bool iequals(std::string_view text, std::string_view lowered) {
  if (text.size() != lowered.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (fold(text[i]) != lowered[i]) return false;
  return true;
}

}  // namespace

// ---- MatchCache --------------------------------------------------------------------------

std::optional<bool> MatchCache::find(int regex, std::string_view value) {
  PerRegex& r = regexes_[static_cast<std::size_t>(regex)];
  if (r.off) return std::nullopt;
  ++r.lookups;
  const auto it = r.results.find(value);
  std::optional<bool> known;
  if (it != r.results.end()) {
    ++r.hits;
    known = it->second;
  }
  // Judged once enough values were seen: keep the cache only if most lookups hit.
  if (r.lookups == kJudgeAfter && r.hits * 2 < r.lookups) {
    r.off = true;
    r.results = {};
  }
  return known;
}

void MatchCache::store(int regex, std::string_view value, bool matched) {
  PerRegex& r = regexes_[static_cast<std::size_t>(regex)];
  if (!r.off && r.results.size() < kMaxCachedValues) r.results.emplace(value, matched);
}

// ---- Compiling ---------------------------------------------------------------------------

Result<int> ConditionProgram::add(const Condition& c) {
  Node node;
  node.condition = &c;
  switch (c.kind) {
    case Kind::All:
    case Kind::Any:
    case Kind::Not:
      for (const Condition& child : c.children) {
        auto index = add(child);
        if (!index) return index;
        node.children.push_back(*index);
      }
      break;
    case Kind::Attribute:
      node.slot = names_.add(c.attribute);
      if (c.test == Test::Equals || c.test == Test::In)
        for (const auto& v : c.values) node.lowered.push_back(ascii_lower(v));
      if (c.test == Test::Matches) {
        const std::string pattern = c.values.empty() ? std::string() : c.values.front();
        const auto it = std::find_if(regexes_.begin(), regexes_.end(),
                                     [&](const Regex& r) { return r.pattern() == pattern; });
        if (it != regexes_.end()) {
          node.regex = static_cast<int>(it - regexes_.begin());
        } else {
          auto regex = Regex::compile(pattern);
          if (!regex)
            return fail(ErrorCode::InvalidValue, c.location.to_string() + ": " + regex.error().message);
          node.regex = static_cast<int>(regexes_.size());
          regexes_.push_back(std::move(*regex));
        }
      }
      break;
    case Kind::Group: {
      GroupPattern pattern(c.pattern, c.glob);
      const auto it = std::find(patterns_.begin(), patterns_.end(), pattern);
      node.pattern = static_cast<int>(it - patterns_.begin());
      if (it == patterns_.end()) patterns_.push_back(std::move(pattern));
      break;
    }
    case Kind::Source:
      break;
  }
  if (node.children.empty() && c.kind != Kind::All && c.kind != Kind::Any && c.kind != Kind::Not)
    node.atom = atom_number(node);
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size() - 1);
}

// Atoms that test the same thing (the same attribute slot, test and operands; the same
// group pattern; the same sources) share a number, whatever rule they come from.
int ConditionProgram::atom_number(const Node& node) {
  const Condition& c = *node.condition;
  for (std::size_t a = 0; a < atom_nodes_.size(); ++a) {
    const Node& other = nodes_[static_cast<std::size_t>(atom_nodes_[a])];
    const Condition& o = *other.condition;
    if (o.kind != c.kind || other.slot != node.slot || other.lowered != node.lowered ||
        other.regex != node.regex || other.pattern != node.pattern)
      continue;
    if (c.kind == Kind::Attribute && o.test != c.test) continue;
    if (c.kind == Kind::Source && o.sources != c.sources) continue;
    return static_cast<int>(a);
  }
  atom_nodes_.push_back(static_cast<int>(nodes_.size()));
  return static_cast<int>(atom_nodes_.size() - 1);
}

// ---- Evaluating --------------------------------------------------------------------------

bool ConditionProgram::value_matches(const Node& node, std::string_view value, MatchCache* cache) const {
  const Condition& c = *node.condition;
  if (c.test == Test::Matches) {
    if (cache)
      if (const auto known = cache->find(node.regex, value)) return *known;
    const bool matched = regexes_[static_cast<std::size_t>(node.regex)].search(value);
    if (cache) cache->store(node.regex, value, matched);
    return matched;
  }
  if (c.test == Test::Present) return !value.empty();
  for (const auto& operand : node.lowered)
    if (iequals(value, operand)) return true;
  return false;
}

bool ConditionProgram::atom(const Node& node, const IdentityView& identity, MatchCache& cache) const {
  const Condition& c = *node.condition;
  switch (c.kind) {
    case Kind::Group:
      return GroupIndex::has(identity.group_mask, node.pattern);
    case Kind::Source:
      return std::find(c.sources.begin(), c.sources.end(), identity.person->source) != c.sources.end();
    case Kind::Attribute: {
      const bool absent = c.test == Test::Absent;
      const Test test = absent ? Test::Present : c.test;
      bool any = false;
      for (const auto& v : identity.values->values(node.slot)) {
        if (test == Test::Present ? !v.empty() : value_matches(node, v, &cache)) {
          any = true;
          break;
        }
      }
      return absent ? !any : any;
    }
    default:
      return false;
  }
}

bool ConditionProgram::evaluate(int index, const IdentityView& identity, MatchCache& cache) const {
  const Node& node = nodes_[static_cast<std::size_t>(index)];
  switch (node.condition->kind) {
    case Kind::All:
      for (const int child : node.children)
        if (!evaluate(child, identity, cache)) return false;
      return true;
    case Kind::Any:
      for (const int child : node.children)
        if (evaluate(child, identity, cache)) return true;
      return false;
    case Kind::Not:
      return !node.children.empty() && !evaluate(node.children.front(), identity, cache);
    default: {
      if (identity.atoms.empty()) return atom(node, identity, cache);
      signed char& known = identity.atoms[static_cast<std::size_t>(node.atom)];
      if (known < 0) known = atom(node, identity, cache) ? 1 : 0;
      return known == 1;
    }
  }
}

}  // namespace rosterd
