#include "core/reconcile_leavers.h"

#include <chrono>
#include <optional>
#include <utility>

#include "core/email.h"
#include "core/reconcile_text.h"
#include "core/view_map.h"

namespace rosterd {
namespace {

enum class Exit { None, Deactivate, Suspend, Delete, DeleteAfterDays };

struct Leaver {
  const Account* account = nullptr;
  const ExcludedPerson* excluded = nullptr;
  Exit exit = Exit::None;
};

struct Successor {
  const Account* account = nullptr;  // nullptr: the space's default owner
  std::string how;                   // "manager", "rule handover", "default owner"
};

class LeaverPlanner {
 public:
  LeaverPlanner(const ReconcileScope& scope, std::vector<std::string>& notes)
      : scope_(scope), notes_(notes) {
    by_anchor_.reserve(scope.excluded().size());
    by_email_.reserve(scope.excluded().size());
    for (const ExcludedPerson* e : scope.excluded()) {
      if (!e->anchor.empty()) by_anchor_.emplace(e);
      if (!e->email.empty()) by_email_.emplace(e);
    }
    plan_.leaving.assign(scope.id_count(), false);
    plan_.deleted.assign(scope.id_count(), false);
    freed_.assign(scope.id_count(), false);
  }

  LeaverPlan run(const std::vector<const Account*>& accounts) {
    std::vector<Leaver> leavers;
    for (const Account* a : accounts) {
      const SourceStatus* source = scope_.source(a->managed_by);
      if (source->state != "ok") {
        notes_.push_back("account " + a->email + " is not in the last read of source " +
                         source->id + ", which is " + source->state +
                         ": it is left alone (unknown, not gone)");
        continue;
      }
      Leaver l{a, excluded_for(*a), exit_for(*a)};
      if (l.exit == Exit::None) {
        // Waiting in the policy's state: time alone will make it a delete.
        if (const auto due = delete_due(*a)) offer_deadline(*due);
        continue;
      }
      plan_.leaving[scope_.id_index(*a)] = true;
      leavers.push_back(l);
    }
    // Successors are chosen once every leaver is known: none of them may take over.
    for (const Leaver& l : leavers) emit(l);
    return std::move(plan_);
  }

 private:
  const ExcludedPerson* excluded_for(const Account& a) const {
    if (!a.source_anchor.empty()) {
      const auto* found = by_anchor_.find(ViewPair(a.managed_by, a.source_anchor));
      if (found) return *found;
    }
    const auto* found = by_email_.find(a.email);
    return found ? *found : nullptr;
  }

  // When a leaver's account that is already in the policy's state is to be deleted
  // (delete_after_days after it last changed); none if the policy never deletes it.
  std::optional<Timestamp> delete_due(const Account& a) const {
    const int days = scope_.policy().delete_after_days;
    if (days <= 0 || !in_leave_state(a)) return std::nullopt;
    return a.updated_at + std::chrono::days(days);
  }

  bool in_leave_state(const Account& a) const {
    using S = AccountState;
    switch (scope_.policy().on_leave) {
      case LeaveAction::Delete: return false;
      case LeaveAction::Deactivate: return a.state == S::Deactivated;
      case LeaveAction::Suspend: return a.state == S::Suspended || a.state == S::Deactivated;
    }
    return false;
  }

  Exit exit_for(const Account& a) const {
    switch (scope_.policy().on_leave) {
      case LeaveAction::Delete: return Exit::Delete;
      case LeaveAction::Deactivate:
        if (!in_leave_state(a)) return Exit::Deactivate;
        break;
      case LeaveAction::Suspend:
        if (!in_leave_state(a)) return Exit::Suspend;
        break;
    }
    const auto due = delete_due(a);
    return due && *due <= scope_.now() ? Exit::DeleteAfterDays : Exit::None;
  }

  // An enabled account that is not leaving in this plan and is not the leaver itself.
  const Account* usable(const Account* a, const Account& leaver) const {
    if (!a || a->id == leaver.id || !is_enabled(a->state) || plan_.leaving[scope_.id_index(*a)])
      return nullptr;
    return a;
  }

  std::optional<Successor> successor_for(const Leaver& l) const {
    if (l.excluded) {
      if (const Account* a = usable(scope_.account_by_ref(l.excluded->manager_email), *l.account))
        return Successor{a, "manager"};
      if (const Account* a = usable(scope_.account_by_ref(l.excluded->rule_handover), *l.account))
        return Successor{a, "rule handover"};
    }
    const std::string& fallback = scope_.policy().space.default_owner;
    if (usable(scope_.account_by_email(fallback), *l.account)) return Successor{nullptr, "default owner"};
    return std::nullopt;
  }

  void emit(const Leaver& l) {
    const Account& a = *l.account;
    const std::string why = l.excluded ? l.excluded->reason : "gone from source " + a.managed_by;
    const std::string_view policy = leave_action_name(scope_.policy().on_leave);
    Draft d;
    PlannedOperation& p = d.planned;
    p.source = a.managed_by;
    p.person = l.excluded ? l.excluded->person : email_key(a.email);
    Facts details{{"reason", why}, {"on_leave", std::string(policy)}};
    p.details = details;
    p.reason = why + "; on_leave: " + std::string(policy);
    Exit exit = l.exit;
    if (exit == Exit::Delete || exit == Exit::DeleteAfterDays) {
      if (exit == Exit::DeleteAfterDays)
        p.reason = why + "; " + std::string(to_string(a.state)) + " since " +
                   format_date(std::chrono::floor<std::chrono::days>(a.updated_at)) +
                   ", delete_after_days: " + std::to_string(scope_.policy().delete_after_days);
      const auto successor = successor_for(l);
      if (successor) {
        const Account* to = successor->account
                                ? successor->account
                                : scope_.account_by_email(scope_.policy().space.default_owner);
        p.op = DeleteOp{a.id, successor->account ? std::optional<std::string>(to->id) : std::nullopt};
        p.group = plan_group::kDelete;
        p.reason += "; handover to " + to->email + " (" + successor->how + ")";
        details.emplace_back("handover", successor->how);
        details.emplace_back("successor", to->email);
        p.details = std::move(details);
        if (holds_seat(a.state)) frees(a);
        plan_.deleted[scope_.id_index(a)] = true;
        plan_.drafts.push_back(std::move(d));
        return;
      }
      notes_.push_back("account " + a.email + " is not deleted: no manager, rule handover or "
                       "default owner of space '" + scope_.space() + "' can take over its work");
      if (exit == Exit::DeleteAfterDays || a.state == AccountState::Deactivated) return;
      exit = Exit::Deactivate;  // a leaver keeps no access while nobody can take over
      p.reason = why + "; on_leave: delete, deactivated until a successor can be named";
    }
    // Deactivated or suspended by this plan, the account starts waiting when the plan is
    // applied, which is not before `now`: a deadline of now + days is at worst early, and
    // the plan made then finds the exact one.
    if (scope_.policy().on_leave != LeaveAction::Delete && scope_.policy().delete_after_days > 0)
      offer_deadline(scope_.now() + std::chrono::days(scope_.policy().delete_after_days));
    if (exit == Exit::Deactivate) {
      p.op = DeactivateOp{a.id};
      p.group = plan_group::kDeactivate;
      if (holds_seat(a.state)) frees(a);
    } else {
      p.op = SuspendOp{a.id};
      p.group = plan_group::kSuspend;
    }
    plan_.drafts.push_back(std::move(d));
  }

  void offer_deadline(Timestamp due) {
    if (!plan_.next_deadline || due < *plan_.next_deadline) plan_.next_deadline = due;
  }

  // The first leaver of an id gives its seat back; another with the same id (a store that
  // broke its own uniqueness) is the same account to decide().
  void frees(const Account& a) {
    if (freed_[scope_.id_index(a)]) return;
    freed_[scope_.id_index(a)] = true;
    plan_.frees.push_back(&a);
  }

  const ReconcileScope& scope_;
  std::vector<std::string>& notes_;
  struct ByAnchor {
    ViewPair operator()(const ExcludedPerson* e) const { return {e->source, e->anchor}; }
  };
  struct ByEmail {
    std::string_view operator()(const ExcludedPerson* e) const { return e->email; }
  };
  ViewPairMap<const ExcludedPerson*, ByAnchor> by_anchor_;
  EmailMap<const ExcludedPerson*, ByEmail> by_email_;
  std::vector<bool> freed_;  // by id_index()
  LeaverPlan plan_;
};

}  // namespace

LeaverPlan plan_leavers(const ReconcileScope& scope, const std::vector<const Account*>& leavers,
                        std::vector<std::string>& notes) {
  return LeaverPlanner(scope, notes).run(leavers);
}

}  // namespace rosterd
