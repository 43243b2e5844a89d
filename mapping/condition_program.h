// The `when` of every rule of a space, compiled once: attribute names resolved to slots,
// values folded to lower case, regular expressions compiled (shared between rules that
// use the same one), group patterns numbered for GroupIndex. Evaluating a condition on an
// identity is then a walk over a small tree with no allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/regex.h"
#include "config/rule_condition.h"
#include "core/error.h"
#include "core/facts.h"
#include "mapping/attribute_values.h"
#include "mapping/group_index.h"
#include "mapping/group_pattern.h"

namespace rosterd {

// One identity as conditions see it.
struct IdentityView {
  const DirectoryPerson* person = nullptr;
  const IdentityValues* values = nullptr;
  std::span<const std::uint64_t> group_mask;  // GroupIndex::reach of its direct groups
  std::span<const int> direct_groups;
  // One entry per distinct atom (ConditionProgram::atom_count()), -1 before it is first
  // evaluated for this identity: an atom shared by several rules is evaluated once.
  std::span<signed char> atoms;
};

// Results of regular expressions per distinct value, for the length of one computation
// (one per thread: the program itself stays immutable). A regex whose values rarely
// repeat (employee numbers, emails) stops being cached: a lookup that misses costs more
// than the match.
class MatchCache {
 public:
  explicit MatchCache(std::size_t regexes) : regexes_(regexes) {}
  std::optional<bool> find(int regex, std::string_view value);
  void store(int regex, std::string_view value, bool matched);

 private:
  struct PerRegex {
    std::unordered_map<std::string, bool, StringHash, std::equal_to<>> results;
    std::size_t lookups = 0, hits = 0;
    bool off = false;
  };
  std::vector<PerRegex> regexes_;
};

class ConditionProgram {
 public:
  // Registers the attributes, patterns and regexes of `condition`; returns its root node.
  // ErrorCode::InvalidValue (with the condition's location) for a bad regular expression.
  Result<int> add(const Condition& condition);
  // Registers an attribute read outside conditions (team, correlation); returns its slot.
  int add_attribute(std::string_view name) { return names_.add(name); }

  const AttributeNames& names() const { return names_; }
  std::span<const GroupPattern> patterns() const { return patterns_; }
  std::size_t regex_count() const { return regexes_.size(); }
  std::size_t atom_count() const { return atom_nodes_.size(); }

  bool evaluate(int node, const IdentityView& identity, MatchCache& cache) const;
  // What made a matching condition hold, for DesiredAccount::inputs: {"title", "Sourcer"},
  // {"group", "CN=Recruiting-Paris,... (nested via CN=Paris)"}, {"source", "okta"}.
  void facts(int node, const IdentityView& identity, const GroupIndex& groups, MatchCache& cache,
             Facts& out) const;
  // Evaluates and says why in words, for `rosterd explain`.
  bool explain(int node, const IdentityView& identity, const GroupIndex& groups, MatchCache& cache,
               std::vector<std::string>& because) const;

 private:
  struct Node {
    const Condition* condition = nullptr;  // owned by the RuleSet's copy of the rules
    std::vector<int> children;
    int slot = -1;                      // Attribute
    std::vector<std::string> lowered;   // Attribute Equals / In
    int regex = -1;                     // Attribute Matches
    int pattern = -1;                   // Group
    int atom = -1;                      // Group, Attribute, Source: its distinct-atom number
  };
  int atom_number(const Node& node);
  bool atom(const Node& node, const IdentityView& identity, MatchCache& cache) const;
  bool value_matches(const Node& node, std::string_view value, MatchCache* cache) const;
  std::string_view first_match(const Node& node, const IdentityView& identity) const;
  std::string group_words(const Node& node, const IdentityView& identity, const GroupIndex& groups,
                          bool matched) const;
  std::string attribute_words(const Node& node, const IdentityView& identity, bool matched) const;

  AttributeNames names_;
  std::vector<Node> nodes_;
  std::vector<GroupPattern> patterns_;
  std::vector<Regex> regexes_;
  std::vector<int> atom_nodes_;  // per distinct atom: the first node that tests it
};

}  // namespace rosterd
