#include "core/reconcile_matching.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/email.h"

namespace rosterd {
namespace {

// Why the grant cannot be planned at all, or nullopt. The rules engine checks this
// against the configuration; reconcile checks again because a plan decide() refuses
// half-way helps nobody.
std::optional<std::string> grant_problem(const ReconcileScope& scope, const DesiredAccount& d) {
  const Role* role = scope.roles().find(d.role);
  if (!role) return "role '" + d.role + "' is not in the role catalogue";
  const auto& pools = scope.policy().space.licences;
  if (pools.find(d.licence) == pools.end())
    return "space '" + scope.space() + "' has no licence type '" + d.licence + "'";
  if (!role->may_hold(d.licence))
    return "role '" + d.role + "' may not hold a '" + d.licence + "' licence";
  return std::nullopt;
}

class Matcher {
 public:
  Matcher(const ReconcileScope& scope, std::vector<std::string>& notes)
      : scope_(scope), notes_(notes) {
    for (const Account* a : scope.accounts())
      if (managed_by_known_source(*a) && !a->source_anchor.empty())
        by_anchor_.emplace(std::make_pair(a->managed_by, a->source_anchor), a);
  }

  Matching run() {
    std::vector<std::optional<const Account*>> found(scope_.desired().size());
    for (std::size_t i = 0; i < found.size(); ++i) found[i] = by_anchor(*scope_.desired()[i]);
    for (std::size_t i = 0; i < found.size(); ++i)
      if (!found[i]) found[i] = by_email(*scope_.desired()[i]);
    Matching m;
    for (std::size_t i = 0; i < found.size(); ++i) {
      const DesiredAccount& d = *scope_.desired()[i];
      const Account* account = found[i].value_or(nullptr);
      if (acts_on(d, account)) m.pairs.push_back({&d, account});
    }
    for (const Account* a : scope_.accounts()) {
      if (a->is_manual() || claimed_.count(a->id)) continue;
      if (managed_by_known_source(*a)) {
        m.leavers.push_back(a);
      } else {
        notes_.push_back("account " + a->email + " is managed by '" + a->managed_by +
                         "', which is not a source of space '" + scope_.space() +
                         "': it is left alone");
      }
    }
    return m;
  }

 private:
  bool managed_by_known_source(const Account& a) const {
    return !a.is_manual() && scope_.source(a.managed_by) != nullptr;
  }

  std::optional<const Account*> by_anchor(const DesiredAccount& d) {
    if (d.anchor.empty()) return std::nullopt;
    const auto it = by_anchor_.find(std::make_pair(d.source, d.anchor));
    if (it == by_anchor_.end()) return std::nullopt;
    claimed_.insert(it->second->id);
    return it->second;
  }

  // Correlation: the account with the person's email, when a source of the space manages
  // it and no other person claimed it by anchor.
  std::optional<const Account*> by_email(const DesiredAccount& d) {
    const Account* a = scope_.account_by_email(d.email);
    if (!a || !managed_by_known_source(*a) || claimed_.count(a->id)) return std::nullopt;
    claimed_.insert(a->id);
    return a;
  }

  // Whether reconcile plans anything for `d`; a note says why not.
  bool acts_on(const DesiredAccount& d, const Account* account) {
    const Account* holder = scope_.account_by_email(d.email);
    const std::string who = "person " + d.person + " (rule " + d.rule + ")";
    // (An email held by another account of a source of the space is the changes' concern:
    // that account may be deleted in this very plan.)
    if (holder && holder != account && !managed_by_known_source(*holder)) {
      if (holder->is_manual())
        notes_.push_back(who + ": " + d.email + " belongs to a manual account, which a sync "
                         "never changes; no operation");
      else
        notes_.push_back(who + ": " + d.email + " belongs to an account managed by '" +
                         holder->managed_by + "', which is not a source of space '" +
                         scope_.space() + "'; no operation");
      return false;
    }
    if (auto problem = grant_problem(scope_, d)) {
      notes_.push_back(who + ": " + *problem + "; no operation");
      return false;
    }
    return true;
  }

  const ReconcileScope& scope_;
  std::vector<std::string>& notes_;
  std::map<std::pair<std::string, std::string>, const Account*> by_anchor_;
  std::set<std::string> claimed_;
};

}  // namespace

Matching match_accounts(const ReconcileScope& scope, std::vector<std::string>& notes) {
  return Matcher(scope, notes).run();
}

}  // namespace rosterd
