// How one person's matching rules become one outcome: a deny anywhere excludes; otherwise
// the space's resolution picks one grant (first-match: the earliest rule; highest-rank:
// the highest role rank, ties by rule order) and every other matching grant loses, with
// the reason in words.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace rosterd {

struct RuleInfo {
  RuleInfo(std::string name, bool deny, std::string role, int rank);
  std::string name;
  bool deny = false;
  std::string role;
  int rank = 0;  // of the role in the catalogue
  // Why another grant loses to this one, written once rather than per person.
  std::string beats_later, beats_lower, beats_same;
};

struct Decision {
  int winner = -1;          // the grant that decides, -1 if none
  int deny = -1;            // the first matching deny rule, -1 if none
  int first_matching = -1;  // the first matching rule, deny or grant (handover of leavers)
  std::vector<int> matched_by;        // per rule: the first identity it matched, or -1
  std::vector<char> lost;             // per rule: a matching grant that did not decide
  std::string excluded;               // why the person gets no account; empty if granted
};

struct DecisionInput {
  std::span<const RuleInfo> rules;
  bool highest_rank = true;
  // matched[i * rules.size() + r]: identity i (by precedence) matches rule r.
  std::span<const char> matched;
  std::size_t identities = 0;
  // Set when the person is excluded before any rule counts: "no email to correlate on",
  // "disabled in source corp-ad".
  std::string excluded_first;
};

void decide(const DecisionInput& input, Decision& out);

// Why `rule` (a grant with decision.lost[rule] set) did not decide: "after rule x
// (first-match)", "lower rank than administrator (rule x)", "same rank as recruiter,
// later than rule x", or why the person is excluded.
std::string why_lost(std::span<const RuleInfo> rules, bool highest_rank, const Decision& decision,
                     int rule);

}  // namespace rosterd
