#include "core/reconcile_matching.h"

#include <optional>
#include <utility>

#include "core/view_map.h"

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

// Nothing for plan_changes() to do: every field its diff() compares is equal and the state
// needs no resume or reactivation. (Keep the two in step.)
bool unchanged(const DesiredAccount& d, const Account& a) {
  return a.state != AccountState::Suspended && a.state != AccountState::Deactivated &&
         d.email == a.email && d.given_name == a.given_name && d.family_name == a.family_name &&
         d.title == a.title && d.phone == a.phone && d.country == a.country &&
         d.language == a.language && d.team == a.team && d.role == a.role && d.licence == a.licence;
}

// What the first pass learns of a person found by anchor.
struct Found {
  const Account* account = nullptr;
  bool by_anchor = false;
  bool acted_on = false;  // acts_on() is certain to be true and to note nothing
  bool unchanged = false;
};

class Matcher {
 public:
  Matcher(const ReconcileScope& scope, std::vector<std::string>& notes)
      : scope_(scope), notes_(notes), claimed_(scope.id_count(), false) {}

  // Each desired person is read once in the usual case (found by anchor, nothing to note):
  // with 100,000 of them, every pass over them is a pass through main memory.
  Matching run() {
    const auto& desired = scope_.desired();
    std::vector<Found> found(desired.size());
    for (std::size_t i = 0; i < found.size(); ++i) found[i] = by_anchor(*desired[i]);
    for (std::size_t i = 0; i < found.size(); ++i)
      if (!found[i].by_anchor) found[i].account = by_email(*desired[i]);
    Matching m;
    m.pairs.reserve(found.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
      const Found& f = found[i];
      if (f.acted_on || acts_on(*desired[i], f.account))
        m.pairs.push_back({desired[i], f.account, f.unchanged});
    }
    for (const Account* a : scope_.accounts()) {
      if (claimed(*a) || a->is_manual()) continue;  // (claimed: no need to read the account)
      if (scope_.managed_by_a_source(*a)) {
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
  // By id: accounts that share one are claimed together.
  bool claimed(const Account& a) const { return claimed_[scope_.id_index(a)]; }
  void claim(const Account& a) { claimed_[scope_.id_index(a)] = true; }

  Found by_anchor(const DesiredAccount& d) {
    if (d.anchor.empty()) return {};
    const Account* found = scope_.account_by_anchor(d.source, d.anchor);
    if (!found) return {};
    const Account& a = *found;
    claim(a);
    const bool quiet = holder(d, &a) == &a && !grant_problem(scope_, d);
    return {&a, true, quiet, quiet && unchanged(d, a)};
  }

  // Correlation: the account with the person's email, when a source of the space manages
  // it and no other person claimed it by anchor.
  const Account* by_email(const DesiredAccount& d) {
    const Account* a = scope_.account_by_email(d.email);
    if (!a || !scope_.managed_by_a_source(*a) || claimed(*a)) return nullptr;
    claim(*a);
    return a;
  }

  // The account that has the person's email: usually the person's own, found already.
  const Account* holder(const DesiredAccount& d, const Account* account) const {
    if (account && scope_.first_with_its_email(*account) &&
        EmailKeyEqual{}(account->email, d.email))
      return account;
    return scope_.account_by_email(d.email);
  }

  // Whether reconcile plans anything for `d`; a note says why not.
  bool acts_on(const DesiredAccount& d, const Account* account) {
    const Account* holder = this->holder(d, account);
    // Built only for a note: most persons get none.
    auto who = [&d] { return "person " + d.person + " (rule " + d.rule + ")"; };
    // (An email held by another account of a source of the space is the changes' concern:
    // that account may be deleted in this very plan.)
    if (holder && holder != account && !scope_.managed_by_a_source(*holder)) {
      if (holder->is_manual())
        notes_.push_back(who() + ": " + d.email + " belongs to a manual account, which a sync "
                         "never changes; no operation");
      else
        notes_.push_back(who() + ": " + d.email + " belongs to an account managed by '" +
                         holder->managed_by + "', which is not a source of space '" +
                         scope_.space() + "'; no operation");
      return false;
    }
    if (auto problem = grant_problem(scope_, d)) {
      notes_.push_back(who() + ": " + *problem + "; no operation");
      return false;
    }
    return true;
  }

  const ReconcileScope& scope_;
  std::vector<std::string>& notes_;
  std::vector<bool> claimed_;  // by id_index()
};

}  // namespace

Matching match_accounts(const ReconcileScope& scope, std::vector<std::string>& notes) {
  return Matcher(scope, notes).run();
}

}  // namespace rosterd
