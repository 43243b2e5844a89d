#include "mapping/lint.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "mapping/condition_logic.h"

namespace rosterd {
namespace {

LintFinding warning(const RuleConfig& rule, std::string message) {
  return LintFinding{LintFinding::Severity::Warning, rule.location, std::move(message)};
}

std::string line_of(const RuleConfig& rule) {
  return rule.location.line > 0 ? " (line " + std::to_string(rule.location.line) + ")" : "";
}

// Every literal of `earlier` is implied by one of `later`: whenever `later` matches, so
// does `earlier`.
bool covered(const std::vector<Literal>& earlier, const std::vector<Literal>& later) {
  return std::all_of(earlier.begin(), earlier.end(), [&](const Literal& a) {
    return std::any_of(later.begin(), later.end(), [&](const Literal& b) { return implies(b, a); });
  });
}

struct SpaceRules {
  const SpaceConfig* space = nullptr;
  std::vector<const RuleConfig*> rules;
  std::vector<std::vector<Literal>> literals;  // per rule
  std::vector<bool> impossible;                // per rule
};

int rank_of(const Config& config, const RuleConfig& rule) {
  const Role* role = config.roles.find(rule.grant_role);
  return role ? role->rank : -1;
}

// A rule that never decides because another one always matches with it: under
// first-match, an earlier rule (a deny is only shadowed by an earlier deny, since a deny
// wins wherever it is); under highest-rank, a grant of a higher rank (or of the same rank,
// earlier); and for a grant, a deny rule anywhere. Returns the rule and the message.
std::optional<std::pair<std::size_t, std::string>> shadowed_by(const Config& config, const SpaceRules& s,
                                                               std::size_t j) {
  const RuleConfig& later = *s.rules[j];
  const bool first_match = s.space->resolution == "first-match";
  const auto covers = [&](std::size_t i) { return i != j && !s.impossible[i] && covered(s.literals[i], s.literals[j]); };
  for (std::size_t i = 0; first_match && i < j; ++i) {
    const RuleConfig& earlier = *s.rules[i];
    if ((later.deny && !earlier.deny) || !covers(i)) continue;
    return std::pair(i, "rule '" + later.name + "' can never decide: rule '" + earlier.name + "'" +
                           line_of(earlier) + " comes first and matches whenever it does (first-match)");
  }
  for (std::size_t i = 0; !first_match && !later.deny && i < s.rules.size(); ++i) {
    const RuleConfig& other = *s.rules[i];
    const int rank = rank_of(config, other), later_rank = rank_of(config, later);
    if (other.deny || rank < 0 || later_rank < 0 || rank < later_rank || (rank == later_rank && i > j) ||
        !covers(i))
      continue;
    return std::pair(i, "rule '" + later.name + "' can never decide: rule '" + other.name + "'" +
                           line_of(other) + " matches whenever it does and grants " + other.grant_role +
                           (rank > later_rank ? ", which ranks higher" : " of the same rank and comes first") +
                           " (highest-rank)");
  }
  for (std::size_t i = 0; !later.deny && i < s.rules.size(); ++i) {
    const RuleConfig& deny = *s.rules[i];
    if (!deny.deny || !covers(i)) continue;
    return std::pair(i, "rule '" + later.name + "' can never grant: deny rule '" + deny.name + "'" +
                           line_of(deny) + " matches whenever it does");
  }
  return std::nullopt;
}

// Under highest-rank, grants of different roles of the same rank that can match the same
// person: the earlier one wins, so the outcome hangs on the order of the file.
void same_rank(const Config& config, const SpaceRules& s, const std::vector<int>& shadowed,
               std::vector<LintFinding>& out) {
  if (s.space->resolution == "first-match") return;
  for (std::size_t j = 0; j < s.rules.size(); ++j) {
    const RuleConfig& b = *s.rules[j];
    const Role* rb = config.roles.find(b.grant_role);
    if (b.deny || !rb || s.impossible[j]) continue;
    for (std::size_t i = 0; i < j; ++i) {
      const RuleConfig& a = *s.rules[i];
      const Role* ra = config.roles.find(a.grant_role);
      if (a.deny || !ra || s.impossible[i] || ra->name == rb->name || ra->rank != rb->rank) continue;
      if (shadowed[j] >= 0) continue;  // already said: b never decides
      std::vector<Literal> both = s.literals[i];
      both.insert(both.end(), s.literals[j].begin(), s.literals[j].end());
      if (contradiction(both)) continue;
      out.push_back(warning(b, "rules '" + a.name + "'" + line_of(a) + " and '" + b.name +
                                   "' grant roles " + ra->name + " and " + rb->name +
                                   " of the same rank (" + std::to_string(ra->rank) +
                                   "): for someone matching both, only rule order decides (" +
                                   ra->name + " wins)"));
    }
  }
}

void lint_space(const Config& config, const SpaceConfig& space, std::vector<LintFinding>& out) {
  SpaceRules s;
  s.space = &space;
  for (const RuleConfig& rule : config.rules)
    if (rule.space == space.space.id) s.rules.push_back(&rule);
  for (const RuleConfig* rule : s.rules) {
    s.literals.push_back(conjunction(rule->when));
    const auto why = never_holds(rule->when);
    s.impossible.push_back(why.has_value());
    if (why)
      out.push_back(warning(*rule, "rule '" + rule->name + "' " +
                                       (rule->deny ? "matches nothing" : "can never match") +
                                       ": its condition can never hold (" + *why + ")"));
  }
  std::vector<int> shadowed(s.rules.size(), -1);
  for (std::size_t j = 0; j < s.rules.size(); ++j) {
    if (s.impossible[j]) continue;
    if (auto found = shadowed_by(config, s, j)) {
      shadowed[j] = static_cast<int>(found->first);
      out.push_back(warning(*s.rules[j], std::move(found->second)));
    }
  }
  same_rank(config, s, shadowed, out);
}

void sort_by_location(std::vector<LintFinding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const LintFinding& a, const LintFinding& b) {
    return std::tie(a.location.file, a.location.line, a.location.column) <
           std::tie(b.location.file, b.location.line, b.location.column);
  });
}

}  // namespace

std::vector<LintFinding> lint_rules(const Config& config) {
  std::vector<LintFinding> out;
  for (const SpaceConfig& space : config.spaces) lint_space(config, space, out);
  sort_by_location(out);
  return out;
}

std::vector<LintFinding> lint_quotas(const Config& config, const std::vector<DesiredState>& desired) {
  std::vector<LintFinding> out;
  for (const DesiredState& state : desired) {
    const SpaceConfig* space = config.find_space(state.space);
    if (!space) continue;
    std::map<std::string, std::int64_t> wanted;
    for (const DesiredAccount& a : state.accounts)
      if (!a.licence.empty()) ++wanted[a.licence];
    for (const auto& [licence, count] : wanted) {
      const auto it = space->space.licences.find(licence);
      const std::int64_t seats = it == space->space.licences.end() ? 0 : it->second;
      if (count <= seats) continue;
      out.push_back(LintFinding{
          LintFinding::Severity::Warning, space->location,
          "space " + state.space + ": " + std::to_string(count) + " people qualify for licence " +
              licence + ", " + std::to_string(seats) + " seats: " + std::to_string(count - seats) +
              " would wait as pending"});
    }
  }
  sort_by_location(out);
  return out;
}

}  // namespace rosterd
