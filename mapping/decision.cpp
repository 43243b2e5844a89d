#include "mapping/decision.h"

namespace rosterd {
namespace {

// Under highest-rank: does grant `a` beat grant `b`? Ties go to the earlier rule.
bool beats(const RuleInfo& a, int ia, const RuleInfo& b, int ib) {
  return a.rank != b.rank ? a.rank > b.rank : ia < ib;
}

}  // namespace

RuleInfo::RuleInfo(std::string name_, bool deny_, std::string role_, int rank_)
    : name(std::move(name_)),
      deny(deny_),
      role(std::move(role_)),
      rank(rank_),
      beats_later("after rule " + name + " (first-match)"),
      beats_lower("lower rank than " + role + " (rule " + name + ")"),
      beats_same("same rank as " + role + ", later than rule " + name) {}

std::string why_lost(std::span<const RuleInfo> rules, bool highest_rank, const Decision& d, int loser) {
  if (!d.excluded.empty() || d.winner < 0) return d.excluded;
  const RuleInfo& w = rules[static_cast<std::size_t>(d.winner)];
  const RuleInfo& l = rules[static_cast<std::size_t>(loser)];
  if (!highest_rank) return w.beats_later;
  return l.rank < w.rank ? w.beats_lower : w.beats_same;
}

void decide(const DecisionInput& in, Decision& out) {
  const std::size_t n = in.rules.size();
  out.winner = out.deny = out.first_matching = -1;
  out.matched_by.assign(n, -1);
  out.lost.assign(n, 0);
  out.excluded = in.excluded_first;
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < in.identities; ++i)
      if (in.matched[i * n + r]) {
        out.matched_by[r] = static_cast<int>(i);
        break;
      }
    if (out.matched_by[r] < 0) continue;
    const int rule = static_cast<int>(r);
    if (out.first_matching < 0) out.first_matching = rule;
    if (in.rules[r].deny) {
      if (out.deny < 0) out.deny = rule;
    } else if (out.winner < 0 ||
               (in.highest_rank && beats(in.rules[r], rule, in.rules[static_cast<std::size_t>(out.winner)], out.winner))) {
      out.winner = rule;
    }
  }
  if (out.excluded.empty() && out.deny >= 0) out.excluded = "denied by rule " + in.rules[static_cast<std::size_t>(out.deny)].name;
  if (out.excluded.empty() && out.winner < 0) out.excluded = "no rule grants an account";
  for (std::size_t r = 0; r < n; ++r) {
    const int rule = static_cast<int>(r);
    if (out.matched_by[r] < 0 || in.rules[r].deny || rule == out.winner) continue;
    out.lost[r] = 1;
  }
  if (!out.excluded.empty() && out.winner >= 0) {
    out.lost[static_cast<std::size_t>(out.winner)] = 1;
    out.winner = -1;
  }
}

}  // namespace rosterd
